/**
 * `npm start`'s components, started in order and stopped in reverse: the Temporal dev server (unless
 * TEMPORAL_ADDRESS names a cluster), the Staffbase simulator (unless STAFFBASE_BASE_URL names a
 * platform), the worker, the HR API, and the clean-up Schedules. Everything but the dev server runs
 * in this process.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Logger } from '@temporalio/worker';
import { type RunningHttpApi, connectTemporalClient, startHttpApi } from '../client/http/server';
import { staffbaseEventsApiOptions } from '../client/http/staffbase-events';
import { type StaffbaseConnection } from '../config/staffbase';
import { lifecycleDataConverter } from '../lifecycle/payload-codec/data-converter';
import { DEV_TOKEN } from '../simulator/dev-token';
import { type RunningSimulator, startSimulator } from '../simulator/server';
import { SimulatorControl } from '../simulator/control-client';
import { STAFFBASE_EVENTS_PATH } from '../staffbase/events';
import { type RunningWorkerProcess, startWorkerProcess } from '../worker/process';
import { reconcileRunStarters } from '../client/reconcile-starters';
import { ensureReconcileEraseSchedule } from '../worker/reconcile-erase-schedule';
import { type EnsuredSchedule, ensureCleanupSchedules } from '../worker/schedules';
import { ensureActivationSweepSchedule } from '../worker/activation-sweep-schedule';
import { ensureStoreEraseSchedule } from '../worker/store-erase-schedule';
import { ensureLifecycleEventDispatcher } from '../worker/lifecycle-event-dispatcher-start';
import { buildConsole } from './build-console';
import { type RunningDevServer, startDevServer } from './dev-server';
import { type StartConfig } from '../config/start';
import { setStaffbaseQueueRate } from './staffbase-queue-rate';
import { resolveTemporalBinary } from './temporal-binaries';
import { openStore } from '../store';

export interface RunningStack {
  /** What is where, and how to trigger a first onboarding: printed once everything runs. */
  banner: string;
  temporalAddress: string;
  uiUrl: string | undefined;
  apiUrl: string;
  simulatorUrl: string | undefined;
  schedules: EnsuredSchedule[];
  /** Resolves with a reason when a component stops on its own (worker failure, dev server gone). */
  crashed: Promise<Error>;
  /** API, worker, simulator, dev server — in that order. Safe to call twice. */
  stop(): Promise<void>;
  /** Last resort on process exit: kills the dev server without waiting. */
  killNow(): void;
}

/** The HR API as a browser on this machine reaches it (a wildcard host means loopback here). */
function apiBaseUrl(config: StartConfig): string {
  const host = ['0.0.0.0', '::', ''].includes(config.api.host) ? '127.0.0.1' : config.api.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.api.port}`;
}

/** The Temporal UI route of a namespace's Schedules. */
function schedulesUrl(uiUrl: string, namespace: string): string {
  return `${uiUrl}/namespaces/${encodeURIComponent(namespace)}/schedules`;
}

export async function startStack(config: StartConfig, logger: Logger): Promise<RunningStack> {
  mkdirSync(config.dataDir, { recursive: true });
  const stops: { what: string; stop: () => Promise<void> }[] = [];
  let crash: (error: Error) => void = () => undefined;
  const crashed = new Promise<Error>((resolve) => (crash = resolve));
  let stopping = false;
  let devServer: RunningDevServer | undefined;

  let stopAll: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping = true;
    stopAll ??= (async () => {
      for (const { what, stop: stopOne } of [...stops].reverse()) {
        try {
          await stopOne();
        } catch (error) {
          logger.warn(`Stopping the ${what} failed`, { error });
        }
      }
    })();
    return stopAll;
  };

  try {
    // 1. Temporal.
    let temporalAddress = config.worker.temporal.address;
    let uiUrl: string | undefined;
    if (config.devServer) {
      const dbFile = path.join(config.dataDir, 'temporal.sqlite');
      logger.info('Starting the Temporal dev server', {
        address: `127.0.0.1:${config.devServer.port}`,
        dbFile,
      });
      devServer = await startDevServer({
        binary: resolveTemporalBinary('cli'),
        dbFile,
        port: config.devServer.port,
        uiPort: config.devServer.uiPort,
        // The browser runs the UI and calls the API from this machine (a port of 0 is not known yet).
        ...(config.api.port !== 0 && { uiCodecEndpoint: `${apiBaseUrl(config)}/codec` }),
        onOutput: (line) => {
          logger.debug(`temporal: ${line}`);
        },
      });
      const server = devServer;
      stops.push({ what: 'Temporal dev server', stop: () => server.stop() });
      void server.exited.then(() => {
        if (!stopping) crash(new Error('The Temporal dev server exited unexpectedly'));
      });
      temporalAddress = server.address;
      uiUrl = server.uiUrl;
      // As compose's temporal-setup job: the Staffbase rate lives on the server, not in the worker.
      await setStaffbaseQueueRate({
        cli: resolveTemporalBinary('cli'),
        address: temporalAddress,
        namespace: config.worker.temporal.namespace,
        requestsPerSecond: config.worker.staffbase.requestsPerSecond,
        reason: 'STAFFBASE_REQUESTS_PER_SECOND (npm start)',
      });
      logger.info('Temporal dev server ready', {
        address: temporalAddress,
        ui: uiUrl,
        pid: server.pid,
        staffbaseRequestsPerSecond: config.worker.staffbase.requestsPerSecond,
      });
    } else {
      logger.info('Using the configured Temporal cluster (no dev server started)', {
        address: temporalAddress,
        namespace: config.worker.temporal.namespace,
      });
    }

    // 2. Staffbase: the embedded simulator, or the configured platform.
    let simulator: RunningSimulator | undefined;
    let staffbase: StaffbaseConnection;
    if (config.simulator) {
      const dataFile = path.join(config.dataDir, 'simulator-users.json');
      simulator = await startSimulator({ token: DEV_TOKEN, port: config.simulator.port, dataFile });
      const sim = simulator;
      stops.push({ what: 'Staffbase simulator', stop: () => sim.close() });
      staffbase = { baseUrl: sim.apiUrl, token: DEV_TOKEN };
      logger.info(`Staffbase: the embedded SIMULATOR at ${sim.apiUrl} (STAFFBASE_BASE_URL is not set)`, {
        usersFile: dataFile,
      });
    } else {
      staffbase = config.worker.staffbase.connection as StaffbaseConnection;
      logger.info(`Staffbase: the REAL platform at ${staffbase.baseUrl} (from STAFFBASE_BASE_URL)`);
    }

    // 3. The worker.
    const worker: RunningWorkerProcess = await startWorkerProcess(config.worker, {
      logger,
      staffbase,
      reconcileRunStarters,
    });
    stops.push({ what: 'worker', stop: () => worker.shutdown() });
    worker.done.then(
      () => {
        if (!stopping) crash(new Error('The worker stopped on its own'));
      },
      (error: unknown) => crash(error instanceof Error ? error : new Error(String(error))),
    );

    // 4. The HR API, with its own Temporal client (closed after the API).
    const dataConverter = lifecycleDataConverter(config.api.encryption);
    const temporal = await connectTemporalClient(config.api.temporal, dataConverter);
    stops.push({ what: 'Temporal client', stop: () => temporal.close() });
    if (config.apiDevModeByDefault) {
      // The API itself warns loudly about dev mode; this says why it is on.
      logger.info('LIFECYCLE_API_KEY is not set, so npm start runs the HR API in dev mode (loopback only)');
    }
    // The HR console's assets, fresh from its sources (esbuild: well under a second), into this
    // stack's own data folder, so two stacks (tests) never write the same files.
    const consoleAssetsDir = await buildConsole(path.join(config.dataDir, 'console'));
    // The HR API's own handle on the project's store (LIFECYCLE_STORE_URL; default .data/store.sqlite;
    // the worker opened its own): the person index, audit rows, GET /v1/audit. Stops run in reverse, so
    // it closes after the API.
    const store = await openStore(config.api.store);
    stops.push({ what: 'store', stop: () => store.close() });
    const api: RunningHttpApi = await startHttpApi({
      temporalClient: temporal.client,
      store,
      policies: config.api.policies,
      apiKey: config.api.apiKey,
      adminApiKey: config.api.adminApiKey,
      payloadCodecs: dataConverter.payloadCodecs,
      codecCorsOrigin: config.api.codecCorsOrigin,
      ...(config.api.trustedUserHeader !== undefined && { trustedUserHeader: config.api.trustedUserHeader }),
      importLimits: config.api.importLimits,
      devMode: config.api.devMode,
      bodyLimit: config.api.bodyLimit,
      host: config.api.host,
      port: config.api.port,
      ...staffbaseEventsApiOptions(config.api.staffbaseEvents),
      logger,
      console: {
        assetsDir: consoleAssetsDir,
        ...(uiUrl && { temporalUiUrl: uiUrl }),
        namespace: config.worker.temporal.namespace,
      },
    });
    stops.push({ what: 'HR API', stop: () => api.close() });
    // With STAFFBASE_WEBHOOK_SECRET, the embedded simulator sends Studio's webhooks to the HR API.
    const events = config.api.staffbaseEvents;
    if (simulator && events) {
      await new SimulatorControl(simulator.baseUrl).setEvents({
        url: `${api.staffbaseEventsUrl ?? api.url}${STAFFBASE_EVENTS_PATH}`,
        secret: events.secret,
        header: events.header,
        scheme: events.scheme,
      });
    }

    // 5. The clean-up Schedules, the activation sweep's and the store erase's.
    const schedules = await ensureCleanupSchedules(temporal.client, config.schedules, logger);
    await ensureActivationSweepSchedule(temporal.client, config.activationSweep, logger);
    await ensureStoreEraseSchedule(temporal.client, config.storeErase, logger);
    await ensureReconcileEraseSchedule(
      temporal.client,
      { keepDays: config.worker.reconcileKeepDays },
      logger,
    );
    if (config.worker.lifecycleEvents.subscribers.length > 0)
      await ensureLifecycleEventDispatcher(temporal.client);

    return {
      banner: banner({ config, temporalAddress, uiUrl, api, simulator, schedules }),
      temporalAddress,
      uiUrl,
      apiUrl: api.url,
      simulatorUrl: simulator?.baseUrl,
      schedules,
      crashed,
      stop,
      killNow: () => devServer?.killNow(),
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

interface BannerFacts {
  config: StartConfig;
  temporalAddress: string;
  uiUrl: string | undefined;
  api: RunningHttpApi;
  simulator: RunningSimulator | undefined;
  schedules: EnsuredSchedule[];
}

/** The "where is what" box; copy-paste commands for a first onboarding. Never prints a secret. */
export function banner(facts: BannerFacts): string {
  const { config, temporalAddress, uiUrl, api, simulator, schedules } = facts;
  const namespace = config.worker.temporal.namespace;
  const auth = config.api.apiKey === undefined ? '' : ` -H "Authorization: Bearer $LIFECYCLE_API_KEY"`;
  const person = 'emp-1001';
  const hire = JSON.stringify({
    externalID: person,
    userName: 'ada.lovelace',
    firstName: 'Ada',
    lastName: 'Lovelace',
    email: 'ada.lovelace@example.com',
  });
  const interval = config.api.policies.onboarding.statusCheckIntervalMinutes;
  const rule = '─'.repeat(100);
  const lines = [
    rule,
    ' staffbase-lifecycle is running. Ctrl-C stops everything; `npm start` again resumes the open runs.',
    '',
    ` Temporal Web UI    ${uiUrl ?? '(your cluster’s UI)'}${uiUrl ? `   (schedules: ${schedulesUrl(uiUrl, namespace)})` : ''}`,
    ` Temporal server    ${temporalAddress}, namespace ${namespace}${config.devServer ? `, state in ${path.join(config.dataDir, 'temporal.sqlite')}` : ' (TEMPORAL_ADDRESS / config file)'}`,
    ` HR console         ${api.url}/   (in the browser${config.api.apiKey === undefined ? '; dev mode, no key' : '; sign in with LIFECYCLE_API_KEY or LIFECYCLE_ADMIN_API_KEY'})`,
    ` HR API             ${api.url}   (OpenAPI: ${api.url}/v1/openapi.json${config.api.apiKey === undefined ? '; DEV MODE, no API key' : '; Bearer LIFECYCLE_API_KEY'})`,
    ` Payloads           ${config.api.encryption.mode === 'on' ? `encrypted (key ${config.api.encryption.keys.current.id}); the UI decodes through ${api.url}/codec` : 'NOT encrypted (LIFECYCLE_ENCRYPTION=off)'}`,
    simulator
      ? ` Staffbase          SIMULATOR ${simulator.apiUrl}   (users in ${path.join(config.dataDir, 'simulator-users.json')})`
      : ` Staffbase          REAL platform ${config.worker.staffbase.connection?.baseUrl ?? ''}`,
    ...(simulator
      ? [
          `   control routes   GET  ${simulator.baseUrl}/_simulator/users            every simulated user`,
          `                    POST ${simulator.baseUrl}/_simulator/users/{externalID}/activate   the new hire accepts the invitation`,
          `                    GET  ${simulator.baseUrl}/_simulator/outbox           the invitation mails`,
        ]
      : []),
    ...schedules.map(
      (schedule) =>
        ` Schedule           ${schedule.scheduleId}: ${schedule.result}, "${schedule.cron}" ${schedule.timeZone}` +
        (config.schedules.enabled
          ? `, deletes pending accounts older than ${config.schedules.pendingOlderThanDays} days (asks above ${config.schedules.policy.confirmAbove})`
          : ' (CLEANUP_SCHEDULE_ENABLED=false)'),
    ),
    '',
    ' 1. Start a first onboarding:',
    `    curl -sS -X POST ${api.url}/v1/onboardings${auth} -H 'content-type: application/json' \\`,
    `      -d '${hire}'`,
    ...(simulator
      ? [
          ' 2. The new hire accepts the invitation (in the simulator):',
          `    curl -sS -X POST ${simulator.baseUrl}/_simulator/users/${person}/activate`,
          `    The run notices it at its next status check (every ${interval} min, ONBOARDING_STATUS_CHECK_INTERVAL_MINUTES),`,
          '    or at once when HR reports it:',
        ]
      : [
          ' 2. When the new hire has activated the account, the run notices it by its status checks, or at once with:',
        ]),
    `    curl -sS -X POST ${api.url}/v1/onboardings/${person}/activated${auth}`,
    ' 3. Follow the run:',
    `    curl -sS ${api.url}/v1/people/${person}${auth}`,
    ...(uiUrl
      ? [`    or in the Web UI: ${uiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows`]
      : []),
    rule,
  ];
  return lines.join('\n');
}
