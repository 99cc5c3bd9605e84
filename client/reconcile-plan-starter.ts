/**
 * What a worker-process source of snapshots (the drop folder, the pulled source) needs to start plans
 * as an upload does: a Temporal client of its own and a store handle, opened together and closed
 * together, and the loop that looks again at an interval.
 */
import { Client, Connection } from '@temporalio/client';
import { type DataConverter } from '@temporalio/common';
import { type StoreConfig } from '../config/store';
import { type TemporalConfig, temporalConnectionOptions } from '../config/temporal';
import { type LifecycleStore, openStore } from '../store';

export interface PlanStarterSetup {
  temporal: TemporalConfig;
  dataConverter: DataConverter;
  storeConfig: StoreConfig;
}

export interface PlanStarter {
  client: Client;
  store: LifecycleStore;
  close(): Promise<void>;
}

export async function openPlanStarter(setup: PlanStarterSetup): Promise<PlanStarter> {
  const connection = await Connection.connect(temporalConnectionOptions(setup.temporal));
  let store: LifecycleStore;
  try {
    store = await openStore(setup.storeConfig);
  } catch (error) {
    await connection.close().catch(() => undefined);
    throw error;
  }
  const client = new Client({
    connection,
    namespace: setup.temporal.namespace,
    dataConverter: setup.dataConverter,
  });
  return {
    client,
    store,
    async close() {
      await store.close().catch(() => undefined);
      await connection.close().catch(() => undefined);
    },
  };
}

/**
 * Runs `task` now and then `intervalMs` after each run ends, until stopped; `stop()` waits for a run in
 * progress. A failing run is handed to `onError` and the next one comes as planned.
 */
export function repeatEvery(
  intervalMs: number,
  task: () => Promise<void>,
  onError: (error: unknown) => void,
): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  const tick = () => {
    current = task()
      .catch(onError)
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
