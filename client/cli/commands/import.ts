import path from 'node:path';
import { SingleBar } from 'cli-progress';
import { type Command, Option } from 'commander';
import { type Lifecycle } from '../../../lifecycle/workflow-ids';
import { columnList, formatRejectedRow, parseImportFile } from '../../csv/parse-import';
import { reportFormatOf, writeReport } from '../../csv/report';
import { type ImportOutcome, runImport, summaryLine } from '../../csv/run-import';
import { type CliIo, type CommandContext } from '../context';
import { CliError, ExitCode, isTemporalUnreachable } from '../exit-codes';
import { positiveWholeNumber, withContext } from '../parsing';

interface ImportOptions {
  kind: Lifecycle;
  dryRun?: boolean;
  report?: string;
  rerun?: boolean;
  strict?: boolean;
  concurrency: number;
}

const columnsHelp = `
Columns (header row; names as in the request schemas, any letter case; empty cells = absent):
  onboarding:  ${columnList('onboarding')}
               required: externalID, userName, firstName, lastName, email
  offboarding: ${columnList('offboarding')}
               required: externalID
  groupIDs and reminderPolicy.remindAfterDays hold several values separated by | or ;
  profile.<field> columns fill custom profile fields, e.g. profile.department

Files: UTF-8 with or without BOM; comma, semicolon or tab (detected from the header line); quoted
cells may hold delimiters, quotes ("") and line breaks; LF or CRLF. Rows are numbered as in a
spreadsheet (header = row 1). A repeated externalID is rejected (only its first row is imported).

Every row is validated before anything starts. Rejected rows are listed with their problems; the
valid rows still start (exit 6 tells a script that some rows were rejected) unless --strict, which
starts nothing when any row is rejected (exit 2). Importing the same file again starts nothing new:
people whose run is open or finished are reported as already running / already completed.`;

function printRows(ctx: CommandContext, outcome: ImportOutcome, rejectedLines: string[]): void {
  if (ctx.json) return;
  if (outcome.dryRun) {
    for (const row of outcome.rows) {
      if (row.result === 'would-start')
        ctx.note(`would start  row ${row.row}: ${row.externalID} (${row.workflowId})`);
      else if (row.result === 'already-running' || row.result === 'already-completed') {
        ctx.note(`${row.result.padEnd(17)} row ${row.row}: ${row.externalID} (${row.workflowId})`);
      }
    }
  } else {
    for (const row of outcome.rows) {
      if (row.result === 'failed') ctx.note(`failed: row ${row.row} (${row.externalID}): ${row.error}`);
    }
  }
  if (rejectedLines.length > 0) {
    ctx.note(`Rejected rows:`);
    for (const line of rejectedLines) ctx.note(`  ${line}`);
  }
}

/** `import <file.csv> --kind onboarding|offboarding`. */
export function registerImportCommand(program: Command, io: CliIo, state: { exitCode: number }): void {
  program
    .command('import')
    .summary('start onboardings or offboardings from a CSV file (validated first; idempotent)')
    .description(
      'Validate every row of a CSV file, then start one onboarding or offboarding per valid row. With ' +
        '--dry-run nothing starts: it prints what would start and every rejected row.',
    )
    .argument('<file>', 'the CSV file')
    .addOption(
      new Option('--kind <lifecycle>', 'what the file holds')
        .choices(['onboarding', 'offboarding'])
        .makeOptionMandatory(),
    )
    .option('--dry-run', 'validate and show what would start; start nothing')
    .option('--report <file>', 'write every row’s result to a .json or .csv file')
    .option('--rerun', 'start again for people whose earlier run completed (rehire)')
    .option('--strict', 'start nothing when any row is rejected')
    .option('--concurrency <n>', 'starts in flight at once', positiveWholeNumber, 8)
    .addHelpText('after', columnsHelp)
    .action(
      withContext(io, state, async (ctx, file: string, options: ImportOptions) => {
        if (options.report !== undefined && !reportFormatOf(options.report)) {
          throw new CliError('--report: the report file must end in .json or .csv', ExitCode.invalidInput, [
            { field: '--report', message: 'must end in .json or .csv' },
          ]);
        }
        const parsed = parseImportFile(await ctx.readInput(file, '<file>'), options.kind);
        const rejectedLines = parsed.rejected.map(formatRejectedRow);
        const blocked = options.strict === true && parsed.rejected.length > 0;
        const needsTemporal = !blocked && parsed.valid.length > 0;
        const policies = ctx.policies();
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
          });
        } finally {
          bar?.stop();
        }

        if (options.report !== undefined) await writeReport(options.report, outcome, path.resolve(file));
        printRows(ctx, outcome, rejectedLines);
        const summary = summaryLine(outcome);
        const lines = [
          `${path.basename(file)}: ${summary}`,
          ...(options.report !== undefined ? [`Report: ${options.report}`] : []),
        ];
        ctx.result(
          { file: path.resolve(file), delimiter: parsed.delimiter, summaryLine: summary, ...outcome },
          lines,
        );

        if (blocked) ctx.exitCode = ExitCode.invalidInput;
        else if (outcome.summary.failed > 0) ctx.exitCode = ExitCode.unexpected;
        else if (outcome.summary.rejected > 0) ctx.exitCode = ExitCode.rowsRejected;
      }),
    );
}
