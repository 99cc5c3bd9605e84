/**
 * Records the workflow histories that test/replay/replay.test.ts replays against the current
 * workflow code. Runs representative scenarios on a time-skipping Temporal server with the real
 * worker factory, the real activities and the Staffbase simulator, and writes each run's history
 * (historyToJSON's format, as `temporal workflow show --output json` writes it; see
 * test/replay/history-json.ts) to
 * test/replay/histories/<name>.json.
 *
 *   npx tsx tooling/record-histories.ts                  # every scenario
 *   npx tsx tooling/record-histories.ts <name> [<name>]  # only these (use this for NEW scenarios)
 *
 * The scenarios live by lifecycle in tooling/histories/ (onboarding.ts, offboarding.ts, support.ts);
 * each name is its fixture's file name.
 *
 * Existing fixtures are history: never re-record one to make a changed workflow pass replay —
 * guard the change with patched() instead (see test/replay/README.md).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_OFFBOARDING_MIN_RETENTION_DAYS } from '../config/defaults';
import { openStore } from '../store';
import { startLifecycleTestStack } from '../test/helpers/lifecycle-stack';
import { historyToJson } from '../test/replay/history-json';
import { cleanupHoldDevServerScenarios, cleanupHoldScenarios } from './histories/cleanup-holds';
import { leaveScenarios } from './histories/leave';
import { offboardingScenarios } from './histories/offboarding';
import { onboardingScenarios } from './histories/onboarding';
import { type Scenario } from './histories/scenario';
import { storeEraseScenarios } from './histories/store-erase';
import { reconcileEraseScenarios } from './histories/reconcile-erase';
import { reconcileDevServerScenarios, reconcileScenarios } from './histories/reconcile';
import {
  changedFieldsMoverScenarios,
  deletion404DevServerScenarios,
  deletion404Scenarios,
  oneRequestSupportScenarios,
  serviceThresholdScenarios,
  supportScenarios,
} from './histories/support';
import { devServerScenarios, sweepAndLookupScenarios } from './histories/sweep-and-lookup';
import { staffbaseEventDevServerScenarios, staffbaseEventScenarios } from './histories/staffbase-events';
import { lifecycleEventDevServerScenarios, lifecycleEventScenarios } from './histories/lifecycle-events';

const historiesDir = path.resolve(__dirname, '..', 'test', 'replay', 'histories');

/** Every scenario by its fixture name; each lifecycle's scenarios live in tooling/histories/. */
const scenarios: Record<string, Scenario | undefined> = {
  ...onboardingScenarios,
  ...offboardingScenarios,
  ...supportScenarios,
  ...oneRequestSupportScenarios,
  ...changedFieldsMoverScenarios,
  ...serviceThresholdScenarios,
  ...deletion404Scenarios,
  ...sweepAndLookupScenarios,
  ...cleanupHoldScenarios,
  ...staffbaseEventScenarios,
  ...storeEraseScenarios,
  ...reconcileEraseScenarios,
  ...reconcileScenarios,
  ...lifecycleEventScenarios,
  ...leaveScenarios,
};

const needsDevServer = (name: string) =>
  devServerScenarios.has(name) ||
  cleanupHoldDevServerScenarios.has(name) ||
  deletion404DevServerScenarios.has(name) ||
  staffbaseEventDevServerScenarios.has(name) ||
  lifecycleEventDevServerScenarios.has(name) ||
  reconcileDevServerScenarios.has(name);

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !(name in scenarios));
  if (unknown.length > 0) {
    throw new Error(
      `Unknown scenario(s): ${unknown.join(', ')}; known: ${Object.keys(scenarios).join(', ')}`,
    );
  }
  const names = wanted.length > 0 ? wanted : Object.keys(scenarios);
  mkdirSync(historiesDir, { recursive: true });

  // Most scenarios skip time on the time-skipping server; a few need the dev server's visibility.
  for (const server of ['time-skipping', 'dev-server'] as const) {
    const onServer = names.filter((name) => needsDevServer(name) === (server === 'dev-server'));
    if (onServer.length > 0) await record(server, onServer);
  }
}

async function record(server: 'time-skipping' | 'dev-server', names: string[]): Promise<void> {
  // A throwaway store of its own, as production's workers have (the person index's writes, audit rows,
  // the store-erase activity; since issue 29).
  const storeDir = mkdtempSync(path.join(tmpdir(), 'record-histories-'));
  const store = await openStore({ kind: 'sqlite', file: path.join(storeDir, 'store.sqlite') });
  const stack = await startLifecycleTestStack({
    server,
    // The worker's default retention floor, as production runs (scenarios since patch `retention-floor`).
    offboardingMinRetentionDays: DEFAULT_OFFBOARDING_MIN_RETENTION_DAYS,
    store,
  });
  try {
    await stack.startWorkers();
    for (const name of names) {
      await stack.control.reset();
      const scenario = scenarios[name];
      if (!scenario) continue;
      const { workflowId, runId } = await scenario(stack);
      const history = await stack.env.client.workflow.getHandle(workflowId, runId).fetchHistory();
      const file = path.join(historiesDir, `${name}.json`);
      writeFileSync(file, `${historyToJson(history)}\n`);
      console.log(`${name}: ${history.events?.length ?? 0} events → ${path.relative(process.cwd(), file)}`);
    }
  } finally {
    await stack.close();
    await store.close();
    rmSync(storeDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
