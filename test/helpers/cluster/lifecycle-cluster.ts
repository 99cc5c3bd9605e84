/**
 * The whole production topology of docker-compose.yml on this machine, without Docker: PostgreSQL,
 * the Temporal server (compose's schema and set-up scripts, its settings and dynamic config), the
 * image's file system built from the Dockerfile, TWO worker processes and the HR API started from it
 * with the environment compose gives them, and the Staffbase simulator as the tenant, rate-limited.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { type RunningSimulator } from '../../../simulator/server';
import { SimulatorControl } from '../../../simulator/control-client';
import { testDataConverter, testEncryptionEnv } from '../encryption';
import { startTestSimulator } from '../simulator';
import {
  type ComposeFile,
  composeService,
  projectRoot,
  readComposeFile,
  serviceEnvironment,
} from './compose-file';
import { type ImageBuild, buildImage } from './dockerfile-build';
import { type RunningPostgres, startPostgres } from './postgres';
import { type ManagedProcess, freePort, startProcess } from './processes';
import {
  type RunningTemporalServer,
  type TemporalServerHandle,
  prepareTemporalServer,
  runComposeSetup,
  setUpSchemas,
} from './temporal-cluster';

/**
 * The tenant's contract in this test, and STAFFBASE_REQUESTS_PER_SECOND in its .env: the workers run
 * at the tenant's full rate, set on the server by compose's temporal-setup script, as in production.
 */
export const TENANT_REQUESTS_PER_SECOND = 20;
/** What the second worker is (mis)configured with: the server's rate must win over it. */
export const MISCONFIGURED_WORKER_REQUESTS_PER_SECOND = 4 * TENANT_REQUESTS_PER_SECOND;

export interface WorkerProcess {
  name: string;
  process: ManagedProcess;
  /** `<pid>@<hostname>`: the SDK's default identity, which the server writes into every history. */
  identity: string;
}

export interface LifecycleCluster {
  compose: ComposeFile;
  image: ImageBuild;
  postgres: RunningPostgres;
  temporal: TemporalServerHandle;
  server: RunningTemporalServer;
  simulator: RunningSimulator;
  control: SimulatorControl;
  workers: WorkerProcess[];
  api: ManagedProcess;
  apiUrl: string;
  /** Non-enumerable in spirit: only ever sent as a header, never printed. */
  apiKey: string;
  /** The support key (LIFECYCLE_ADMIN_API_KEY): support routes, and a deletion sooner than the policy's retention; never printed. */
  adminApiKey: string;
  client: Client;
  /** The environment each of our services got (compose's `environment:` + the image's ENV). */
  workerEnv: Record<string, string>;
  setupOutput: string;
  /** Restarts the Temporal server on the same database and ports. */
  restartServer(options: { downMs: number }): Promise<void>;
  /** Starts one more worker process from the image (a restart after a kill), added to `workers`. */
  startWorker(name: string): Promise<WorkerProcess>;
  /** Runs compose's temporal-schema script again, on the database that already holds the schemas. */
  rerunSchemaJob(): Promise<string>;
  /** Runs a program from the image folder with a worker's environment (the health check). */
  runInImage(name: string, args: string[]): ManagedProcess;
  close(): Promise<void>;
}

/** Steps done so far, undone in reverse by close() — also when a later step fails. */
type Cleanup = () => Promise<void>;

export async function startLifecycleCluster(workDir: string): Promise<LifecycleCluster> {
  const cleanups: Cleanup[] = [];
  const close = async (): Promise<void> => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const compose = readComposeFile();
    const image = buildImage(projectRoot, path.join(workDir, 'image'));
    const postgres = await startPostgres(workDir);
    cleanups.push(() => postgres.stop());

    const { simulator, token } = await startTestSimulator({
      rateLimit: { requestsPerSecond: TENANT_REQUESTS_PER_SECOND },
    });
    cleanups.push(() => simulator.close());

    const apiKey = randomBytes(24).toString('hex');
    const adminApiKey = randomBytes(24).toString('hex');
    const storePassword = randomBytes(24).toString('hex');
    // What a user writes into .env for docker compose.
    const dotEnv: Record<string, string> = {
      POSTGRES_USER: postgres.user,
      POSTGRES_PASSWORD: postgres.password,
      // The role temporal-schema creates and the server connects as (not the superuser above).
      TEMPORAL_DB_PASSWORD: randomBytes(24).toString('hex'),
      // The store's role and database, created by temporal-schema too (docs/store.md).
      STORE_DB_PASSWORD: storePassword,
      LIFECYCLE_STORE_URL: `postgres://lifecycle_store:${storePassword}@${postgres.host}:${postgres.port}/lifecycle_store`,
      STAFFBASE_BASE_URL: simulator.apiUrl,
      STAFFBASE_API_TOKEN: token,
      STAFFBASE_REQUESTS_PER_SECOND: String(TENANT_REQUESTS_PER_SECOND),
      LIFECYCLE_API_KEY: apiKey,
      LIFECYCLE_ADMIN_API_KEY: adminApiKey,
      // The test deletes a leaver seconds after the deactivation: no one-day floor.
      OFFBOARDING_MIN_RETENTION_DAYS: '0',
      // The test key: payloads reach Temporal encrypted, as in production.
      ...testEncryptionEnv,
      LOG_LEVEL: 'info',
    };
    const options = { compose, dotEnv, postgres, workDir };
    await setUpSchemas(options);
    const temporal = await prepareTemporalServer(options);
    let server = await temporal.start();
    cleanups.push(() => server.stop());
    const setupOutput = await runComposeSetup(options, temporal.address);
    // compose's store-migrate job: the store's tables, before the worker and the HR API (its depends_on).
    await promisify(execFile)('node', commandOf(compose, 'store-migrate'), {
      cwd: image.runtime.dir,
      env: {
        ...image.runtime.env,
        ...serviceEnvironment(composeService(compose, 'store-migrate'), dotEnv),
        PATH: process.env.PATH ?? '',
      },
    });

    // Inside compose the services reach `temporal:7233`; here the same settings point at this server.
    const local = { TEMPORAL_ADDRESS: temporal.address, PATH: process.env.PATH ?? '' };
    const workerEnv: Record<string, string> = {
      ...image.runtime.env,
      ...serviceEnvironment(composeService(compose, 'worker'), dotEnv),
      ...local,
      METRICS_HOST: '127.0.0.1',
    };
    const workers: WorkerProcess[] = [];
    const startWorker = async (name: string, env: Record<string, string> = {}): Promise<WorkerProcess> => {
      const worker = startProcess(name, 'node', [...commandOf(compose, 'worker')], {
        cwd: image.runtime.dir,
        env: { ...workerEnv, ...env, METRICS_PORT: String(await freePort()) },
      });
      cleanups.push(() => worker.stop('SIGTERM', 90_000));
      const started = { name, process: worker, identity: `${worker.pid}@${hostname()}` };
      workers.push(started);
      return started;
    };
    await startWorker('worker-a');
    // A replica whose .env says 4 × the tenant's rate: the rate set on the server still binds it.
    await startWorker('worker-b', {
      STAFFBASE_REQUESTS_PER_SECOND: String(MISCONFIGURED_WORKER_REQUESTS_PER_SECOND),
    });
    await Promise.all(workers.map((worker) => worker.process.waitForOutput(/Worker started/, 120_000)));

    const apiPort = await freePort();
    const api = startProcess('hr-api', 'node', [...commandOf(compose, 'hr-api')], {
      cwd: image.runtime.dir,
      env: {
        ...image.runtime.env,
        ...serviceEnvironment(composeService(compose, 'hr-api'), dotEnv),
        ...local,
        // Compose binds 0.0.0.0 inside the container and publishes on 127.0.0.1; here: loopback.
        LIFECYCLE_API_HOST: '127.0.0.1',
        LIFECYCLE_API_PORT: String(apiPort),
      },
    });
    cleanups.push(() => api.stop('SIGTERM', 35_000));
    await api.waitForOutput(/HR API ready/, 60_000);

    const connection = await Connection.connect({ address: temporal.address });
    cleanups.push(() => connection.close());
    const client = new Client({
      connection,
      namespace: workerEnv.TEMPORAL_NAMESPACE ?? 'default',
      dataConverter: testDataConverter,
    });

    return {
      compose,
      image,
      postgres,
      temporal,
      get server() {
        return server;
      },
      simulator,
      control: new SimulatorControl(simulator.baseUrl),
      workers,
      api,
      apiUrl: `http://127.0.0.1:${apiPort}`,
      apiKey,
      adminApiKey,
      client,
      workerEnv,
      setupOutput,
      async restartServer({ downMs }) {
        await server.stop();
        await new Promise((resolve) => setTimeout(resolve, downMs));
        server = await temporal.start();
      },
      async startWorker(name) {
        const worker = await startWorker(name);
        await worker.process.waitForOutput(/Worker started/, 120_000);
        return worker;
      },
      rerunSchemaJob: () => setUpSchemas(options),
      runInImage(name, args) {
        return startProcess(name, 'node', args, { cwd: image.runtime.dir, env: workerEnv });
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

function commandOf(compose: ComposeFile, service: string): string[] {
  const command = composeService(compose, service).command;
  if (!Array.isArray(command) || command[0] !== 'node') {
    throw new Error(`docker-compose.yml: ${service} should run ["node", "<entry point>"]`);
  }
  return command.slice(1);
}
