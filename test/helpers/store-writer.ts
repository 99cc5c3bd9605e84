/**
 * A process that writes to a store, for the test of several processes on one SQLite file:
 * `node --import tsx test/helpers/store-writer.ts <sqlite file> <name> <count>` appends `count` audit
 * rows and upserts `count` people (`<name>-<i>`), interleaved, then prints `done` (exit 0) or the error.
 */
import { openStore } from '../../store';

async function main(): Promise<void> {
  const [file = '', name = '', countText = ''] = process.argv.slice(2);
  const store = await openStore({ kind: 'sqlite', file });
  try {
    for (let index = 0; index < Number(countText); index += 1) {
      const externalID = `${name}-${index}`;
      await store.audit.append({ actor: { kind: 'worker' }, action: 'stage-change', externalID });
      await store.people.upsertPerson({
        externalID,
        lifecycle: 'onboarding',
        stage: 'invited',
        runId: `run-${externalID}`,
        runStartedAt: '2026-12-01T00:00:00.000Z',
        sequence: 1,
        open: true,
        at: new Date().toISOString(),
      });
    }
  } finally {
    await store.close();
  }
  process.stdout.write('done\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
