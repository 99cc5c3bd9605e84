/**
 * The project's own store (store/, docs/store.md): `store migrate` brings its schema up to date
 * (production's set-up job runs it; the embedded SQLite store also migrates itself at first use),
 * `store rebuild` recomputes the person index from Temporal (client/person-index-rebuild.ts),
 * `audit verify` walks the audit trail's hash chain and names the first changed or removed row, and
 * `audit export` writes the trail (or a filter of it) as CSV or JSON, page by page.
 * Both read LIFECYCLE_STORE_URL; its value (it may hold a password) is never printed.
 */
import { type Command, Option } from 'commander';
import { type CommandContext, type CliIo } from '../context';
import { ExitCode } from '../exit-codes';
import { externalIdArgument, withContext } from '../parsing';
import { type AuditExportOptions, exportAuditTrail } from './audit-export';

const storeHelp = `
Environment:
  LIFECYCLE_STORE_URL   postgres://user:password@host:port/database, or sqlite:<file>;
                        unset: the embedded SQLite file .data/store.sqlite (relative to the working directory)`;

/**
 * The store's config and its module, loaded by the command that needs them (a fast `--help`).
 * `migrate` unset: as `openStore` decides (an SQLite store sets itself up at first use).
 */
async function openConfiguredStore(ctx: CommandContext, migrate?: boolean) {
  const [{ storeConfigFromEnv }, { openStore }] = await Promise.all([
    import('../../../config/store.js'),
    import('../../../store/index.js'),
  ]);
  const config = storeConfigFromEnv(ctx.io.env);
  const where = config.kind === 'sqlite' ? `sqlite:${config.file}` : config.where;
  return { where, store: await openStore(config, migrate === undefined ? {} : { migrate }) };
}

type ConfiguredStore = Awaited<ReturnType<typeof openConfiguredStore>>;

/** Opens the configured store for `use` and closes it afterwards, whatever `use` did. */
export async function withConfiguredStore<T>(
  ctx: CommandContext,
  ...args:
    | [migrate: boolean, use: (opened: ConfiguredStore) => Promise<T>]
    | [use: (opened: ConfiguredStore) => Promise<T>]
): Promise<T> {
  const [migrate, use] = args.length === 2 ? args : [undefined, args[0]];
  const opened = await openConfiguredStore(ctx, migrate);
  try {
    return await use(opened);
  } finally {
    await opened.store.close();
  }
}

export function registerStoreCommands(program: Command, io: CliIo, state: { exitCode: number }): void {
  const store = program
    .command('store')
    .summary("the project's own store (person index, audit trail): migrate, rebuild")
    .description("The project's own store: the person index and the audit trail (docs/store.md).");
  store
    .command('migrate')
    .summary('apply the store’s migrations not applied yet (idempotent)')
    .description(
      'Applies the migrations the store lacks, in order, and says which. Safe to run again and from several ' +
        'processes at once. Production runs it in its set-up job; the embedded SQLite store migrates itself.',
    )
    .addHelpText('after', storeHelp)
    .action(
      withContext(io, state, async (ctx) => {
        await withConfiguredStore(ctx, false, async ({ where, store: opened }) => {
          const { applied } = await opened.migrate();
          ctx.result(
            { store: where, applied },
            applied.length === 0
              ? `${where}: the schema is current (nothing to apply)`
              : [`${where}: applied ${applied.length} migration(s)`, ...applied.map((name) => `  ${name}`)],
          );
        });
      }),
    );

  store
    .command('rebuild')
    .summary('recompute the person index from Temporal (idempotent; for disaster recovery)')
    .description(
      'Reads every onboarding and offboarding run in Temporal visibility, oldest first: an open run answers ' +
        'with the row it would write now, a closed one gives its input and result. Each is written through ' +
        'the same upsert the runs use, so a row never moves backwards; names come from the runs’ inputs, ' +
        'decoded with this client’s encryption key. Safe to run again, also while the workers write.',
    )
    .addHelpText('after', storeHelp)
    .action(
      withContext(io, state, async (ctx) => {
        const [{ rebuildPersonIndex }, client] = await Promise.all([
          import('../../person-index-rebuild.js'),
          ctx.client(),
        ]);
        await withConfiguredStore(ctx, async ({ where, store: opened }) => {
          const report = await rebuildPersonIndex(client, opened.people);
          ctx.result(
            { store: where, ...report },
            `${where}: rebuilt the person index from ${report.runs} run(s) of ${report.people} people ` +
              `(${report.applied} row write(s) applied, ${report.skipped} continued-as-new run(s) skipped)`,
          );
        });
      }),
    );

  const audit = program
    .command('audit')
    .summary('the audit trail in the store: verify its hash chain, export it')
    .description('The audit trail: append-only, hash-chained rows in the store (docs/store.md).');
  audit
    .command('verify')
    .summary('check that no audit row was changed or removed (exit 7 naming the first bad row)')
    .description(
      'Walks the hash chain from the first row: each row must match its own hash and link to the row before, ' +
        'and no row may be missing. Exit 0 when intact; exit 7 naming the first changed or removed row.',
    )
    .addHelpText('after', storeHelp)
    .action(
      withContext(io, state, async (ctx) => {
        await withConfiguredStore(ctx, false, async ({ where, store: opened }) => {
          const result = await opened.audit.verify();
          if (result.ok) {
            ctx.result({ store: where, ...result }, `${where}: audit trail intact (${result.rows} rows)`);
          } else {
            ctx.exitCode = ExitCode.checksFailed;
            ctx.result(
              { store: where, ...result },
              `${where}: audit trail BROKEN at row ${result.badSeq} (${result.problem}): ${result.detail}; ` +
                `rows 1-${result.rows} are intact`,
            );
          }
        });
      }),
    );

  audit
    .command('export')
    .summary('write the audit trail (or a filter of it) as CSV or JSON, page by page')
    .description(
      'Writes every row of the audit trail matching the filter, oldest first, as CSV (a header row, then ' +
        'one line per row) or as a JSON array, to stdout or --out. Reads one page at a time, so any number ' +
        'of rows fits. --from/--to are inclusive: a date (2026-12-01) or a UTC time (2026-12-01T09:00:00Z).',
    )
    .option('--from <date|time>', 'rows at or after (inclusive)')
    .option('--to <date|time>', 'rows at or before (inclusive)')
    .option('--external-id <id>', "one person's rows")
    .addOption(new Option('--externalID <id>', "one person's rows (as --external-id)").hideHelp())
    .option('--action <action>', 'one act, e.g. delete-now-requested, account-deleted, store-erased')
    .addOption(new Option('--format <format>', 'csv or json').choices(['csv', 'json']).default('csv'))
    .option('--out <file>', 'write to this file (written whole or not at all) instead of stdout')
    .addHelpText('after', storeHelp)
    .action(
      withContext(io, state, async (ctx, options: AuditExportOptions & { externalID?: string }) => {
        const externalId = externalIdArgument(options.externalID, options.externalId);
        await withConfiguredStore(ctx, false, async ({ where, store: opened }) => {
          const written = await exportAuditTrail(ctx, opened.audit, { ...options, externalId });
          if (options.out !== undefined) {
            ctx.result(
              { store: where, out: options.out, format: options.format, rows: written },
              `${where}: wrote ${written} audit row(s) to ${options.out} (${options.format})`,
            );
          }
        });
      }),
    );
}
