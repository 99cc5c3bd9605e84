import path from 'node:path';
import { type Command, Option } from 'commander';
import { type ImportLifecycle } from '../../csv/columns';
import { dateFormats } from '../../csv/date-cells';
import { describeMapping } from '../../csv/header-mapping';
import { importLimitsFromEnv } from '../../../config/import-limits';
import { columnList, formatRejectedRow, readImportFile } from '../../csv/parse-import';
import { type ImportOutcome } from '../../csv/run-import';
import { startAudit } from '../../person-act-audits';
import { type CliIo, type CommandContext } from '../context';
import { type HrFileOptions, readHrFile } from './hr-file';
import { CliError, ExitCode, isTemporalUnreachable } from '../exit-codes';
import { positiveWholeNumber, withContext } from '../parsing';

interface ImportOptions extends HrFileOptions {
  kind: ImportLifecycle;
  dryRun?: boolean;
  report?: string;
  rerun?: boolean;
  strict?: boolean;
  concurrency: number;
  /** Undefined when neither --check-staffbase nor --no-check-staffbase is given. */
  checkStaffbase?: boolean;
}

const columnsHelp = `
Columns (header row; field names or the headers HR systems export, e.g. "Employee ID", "Work Email",
"Hire Date", "Termination Date"; case, spaces and punctuation do not matter; empty cells = absent):
  onboarding:  ${columnList('onboarding')}
               required: externalID, userName, firstName, lastName, email
  offboarding: ${columnList('offboarding')}
               required: externalID
  leave:       ${columnList('leave')}
               required: externalID, from; until is the first day back (not the last day of leave)
  groupIDs and reminderPolicy.remindAfterDays hold several values separated by | or ;
  profile.<field> columns fill custom profile fields, e.g. profile.department

  Other headers: --map "Cost Center=profile.costCenter", --map "Notes=ignore", a --mapping file
  {"Header": "field", ...}, or --ignore-unknown. The dry run prints how each column was read.
  Dates: YYYY-MM-DD, or also the --date-format given (${dateFormats.join(', ')}).

Files: .xlsx workbooks (first sheet, or --sheet) or CSV: UTF-8 with or without BOM; comma, semicolon or
tab (detected from the header line); quoted cells may hold delimiters, quotes ("") and line breaks; LF
or CRLF. At most IMPORT_MAX_FILE_MB (default 20 MiB; an .xlsx may unpack to 10 times that) and
IMPORT_MAX_ROWS rows below the header (default 100,000), 1,000 columns: a larger file is refused (exit 2). Rows are numbered as in a spreadsheet (header = row 1). A repeated externalID, userName or
email (without case) is rejected naming its first row.

--check-staffbase (on by default with --dry-run when STAFFBASE_BASE_URL and STAFFBASE_API_TOKEN are
set; --no-check-staffbase turns it off) has the worker read the tenant's accounts first (workflow
directoryLookup: one request per 100 accounts on the rate-limited Staffbase queue, bulk lane): a
userName or email that belongs to another person's account rejects the row; an account with the row's
externalID is reported as adopted or reactivated.

Every row is validated before anything starts. Rejected rows are listed with their problems; the
valid rows still start (exit 6 tells a script that some rows were rejected) unless --strict, which
starts nothing when any row is rejected (exit 2). Importing the same file again starts nothing new:
people whose run is open or finished are reported as already running / already completed (--rerun
starts a completed one again, e.g. a later leave). A leave for a person with an open onboarding or
offboarding is refused (reason onboarding-open / offboarding-open; exit 6), as a single \`leave\` is.`;

function printRows(ctx: CommandContext, outcome: ImportOutcome, rejectedLines: string[]): void {
  if (ctx.json) return;
  if (outcome.dryRun) {
    for (const row of outcome.rows) {
      const staffbase = row.staffbase !== undefined ? `: ${row.staffbase}` : '';
      const earlier = row.failure !== undefined ? ` — earlier run ${row.closedStatus}: ${row.failure}` : '';
      if (row.result === 'would-start')
        ctx.note(`would start  row ${row.row}: ${row.externalID} (${row.workflowId})${staffbase}${earlier}`);
      else if (row.result === 'already-running' || row.result === 'already-completed') {
        ctx.note(`${row.result.padEnd(17)} row ${row.row}: ${row.externalID} (${row.workflowId})${earlier}`);
      }
    }
  } else {
    for (const row of outcome.rows) {
      if (row.result === 'failed') ctx.note(`failed: row ${row.row} (${row.externalID}): ${row.error}`);
    }
  }
  for (const row of outcome.rows) {
    if (row.result === 'refused') {
      ctx.note(`refused: row ${row.row} (${row.externalID}): ${row.reason ?? ''}: ${row.error ?? ''}`);
    }
  }
  if (rejectedLines.length > 0) {
    ctx.note(`Rejected rows:`);
    for (const line of rejectedLines) ctx.note(`  ${line}`);
  }
}

/** `import <file.csv|file.xlsx> --kind onboarding|offboarding|leave`. */
export function registerImportCommand(program: Command, io: CliIo, state: { exitCode: number }): void {
  program
    .command('import')
    .summary(
      'start onboardings, offboardings or leaves from a CSV or .xlsx file (validated first; idempotent)',
    )
    .description(
      'Validate every row of a CSV or Excel (.xlsx) file, then start one onboarding, offboarding or leave per ' +
        'valid row. With ' +
        '--dry-run nothing starts: it prints what would start and every rejected row.',
    )
    .argument('<file>', 'the CSV or .xlsx file (- for stdin)')
    .addOption(
      new Option('--kind <lifecycle>', 'what the file holds')
        .choices(['onboarding', 'offboarding', 'leave'])
        .makeOptionMandatory(),
    )
    .option('--dry-run', 'validate and show what would start; start nothing')
    .option('--report <file>', 'write every row’s result to a .json or .csv file')
    .option('--rerun', 'start again for people whose earlier run completed (rehire)')
    .option('--strict', 'start nothing when any row is rejected')
    .option('--concurrency <n>', 'starts in flight at once', positiveWholeNumber, 8)
    .option(
      '--map <header=field>',
      'read a column as a field, profile.<field> or ignore (repeatable)',
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .option('--mapping <file.json>', 'header → field mapping kept for an HR system: {"Header": "field"}')
    .option('--ignore-unknown', 'leave out columns that are no field (instead of refusing the file)')
    .addOption(
      new Option('--date-format <format>', 'dates also in this form, besides YYYY-MM-DD').choices(
        dateFormats,
      ),
    )
    .option('--sheet <name>', 'the sheet of an .xlsx workbook to read (name or number; default the first)')
    .option('--check-staffbase', 'check userName and email against the accounts in Staffbase first')
    .option('--no-check-staffbase', 'skip that check in a dry run')
    .addHelpText('after', columnsHelp)
    .action(
      withContext(io, state, async (ctx, file: string, options: ImportOptions) => {
        // Loaded here, not at start: the Temporal client, the Staffbase client, the progress bar.
        const [
          { runImport, summaryLine },
          { reportFormatOf, writeReport },
          { describePreflightNote },
          { checkAgainstStaffbase, wantsStaffbaseCheck },
          { SingleBar },
        ] = await Promise.all([
          import('../../csv/run-import.js'),
          import('../../csv/report.js'),
          import('../../csv/preflight.js'),
          import('./import-preflight.js'),
          import('cli-progress'),
        ]);
        if (options.report !== undefined && !reportFormatOf(options.report)) {
          throw new CliError('--report: the report file must end in .json or .csv', ExitCode.invalidInput, [
            { field: '--report', message: 'must end in .json or .csv' },
          ]);
        }
        const { content, readOptions } = await readHrFile(ctx, file, options, importLimitsFromEnv(io.env));
        let parsed = await readImportFile(content, options.kind, readOptions);
        if (options.dryRun) {
          ctx.note('Columns:');
          for (const line of describeMapping(parsed.mapping)) ctx.note(`  ${line}`);
        }
        const checked =
          wantsStaffbaseCheck(io.env, options) && parsed.valid.length > 0
            ? await checkAgainstStaffbase(ctx, io, parsed)
            : undefined;
        if (checked) {
          parsed = checked.parsed;
          ctx.note(
            `Staffbase: compared with ${checked.accountsRead} account${checked.accountsRead === 1 ? '' : 's'}`,
          );
        }
        const rejectedLines = parsed.rejected.map(formatRejectedRow);
        const blocked = options.strict === true && parsed.rejected.length > 0;
        const needsTemporal = !blocked && parsed.valid.length > 0;
        const policies = await ctx.policies();
        const client = needsTemporal ? await ctx.client() : undefined;

        const showBar = needsTemporal && !options.dryRun && !ctx.json && io.stdout.isTTY === true;
        const bar = showBar
          ? new SingleBar({
              stream: io.stdout,
              format: `${options.kind} {bar} {value}/{total} rows | {duration_formatted}`,
              hideCursor: true,
              clearOnComplete: true,
            })
          : undefined;
        bar?.start(parsed.valid.length, 0);
        let outcome: ImportOutcome;
        try {
          outcome = await runImport(client, parsed, policies, {
            dryRun: options.dryRun === true,
            strict: options.strict === true,
            rerun: options.rerun === true,
            concurrency: options.concurrency,
            isFatal: isTemporalUnreachable,
            onProgress: (done) => bar?.update(done),
            // Not awaited here: the context tracks each row and settles them before the command exits
            // (withContext), failing it if one could not be written.
            onStarted: (run, externalID) =>
              void ctx.auditIf(startAudit(run, externalID)).catch(() => undefined),
          });
        } finally {
          bar?.stop();
        }

        for (const row of outcome.rows) {
          const note = checked?.notes.get(row.row);
          if (note && row.result !== 'rejected') row.staffbase = describePreflightNote(note);
        }
        if (options.report !== undefined) await writeReport(options.report, outcome, path.resolve(file));
        printRows(ctx, outcome, rejectedLines);
        const summary = summaryLine(outcome);
        const lines = [
          `${path.basename(file)}: ${summary}`,
          ...(options.report !== undefined ? [`Report: ${options.report}`] : []),
        ];
        ctx.result(
          {
            file: path.resolve(file),
            ...(parsed.delimiter !== undefined && { delimiter: parsed.delimiter }),
            ...(parsed.sheet !== undefined && { sheet: parsed.sheet }),
            mapping: parsed.mapping,
            ...(checked && { staffbaseAccountsRead: checked.accountsRead }),
            summaryLine: summary,
            ...outcome,
          },
          lines,
        );

        if (blocked) ctx.exitCode = ExitCode.invalidInput;
        else if (outcome.summary.failed > 0) ctx.exitCode = ExitCode.unexpected;
        else if (outcome.summary.rejected > 0 || outcome.summary.refused > 0) {
          ctx.exitCode = ExitCode.rowsRejected;
        }
      }),
    );
}
