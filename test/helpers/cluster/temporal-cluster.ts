/**
 * The Temporal part of docker-compose.yml, run without Docker: compose's own `temporal-schema` and
 * `temporal-setup` scripts, and the server built from the Go module at the version compose's image
 * runs, configured by the image's config template rendered from the same deploy/temporal.env values
 * and the same mounted dynamic config file. Only addresses, ports and the password differ.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { type TemporalServerParts, temporalServerParts } from '../../../tooling/cluster-binaries';
import { projectToolsBin, resolveTemporalBinary } from '../../../tooling/temporal-binaries';
import {
  type ComposeFile,
  composeService,
  hostPath,
  serviceEnvironment,
  serviceScript,
} from './compose-file';
import { type RunningPostgres } from './postgres';
import { type ManagedProcess, freePort, startProcess, tail } from './processes';

const run = promisify(execFile);

/** Where the admin-tools image keeps the schemas its scripts name. */
const IMAGE_SCHEMA_DIR = '/etc/temporal/schema';

export interface TemporalClusterOptions {
  compose: ComposeFile;
  /** What compose would read from .env (POSTGRES_USER, POSTGRES_PASSWORD, TEMPORAL_NAMESPACE). */
  dotEnv: Record<string, string>;
  postgres: RunningPostgres;
  workDir: string;
}

/** PATH with the project's Temporal CLI and server tools first, as the admin-tools image has them. */
function toolsPath(): string {
  const cliDir = path.dirname(resolveTemporalBinary('cli'));
  return [projectToolsBin, cliDir, process.env.PATH ?? ''].join(path.delimiter);
}

/**
 * The image renders its config template with dockerize (`default VALUE FALLBACK`, `.Env.X`); the
 * server renders templates itself with sprig (`default FALLBACK VALUE`, `env "X"`) when the file says
 * `enable-template`. This rewrites the one into the other, so the server reads the image's template.
 */
export function toServerTemplate(dockerizeTemplate: string): string {
  const rewritten = dockerizeTemplate
    .replace(/default \.Env\.([A-Z0-9_]+) ("[^"]*"|\$[A-Za-z_]+)/g, 'default $2 (env "$1")')
    .replace(/\.Env\.([A-Z0-9_]+)/g, '(env "$1")');
  return `# enable-template (rewritten from the temporalio/server image's config_template.yaml)\n${rewritten}`;
}

/** Runs compose's `temporal-schema` script against the test database. */
export async function setUpSchemas(options: TemporalClusterOptions): Promise<string> {
  const parts = temporalServerParts();
  const service = composeService(options.compose, 'temporal-schema');
  const script = serviceScript(service).replaceAll(IMAGE_SCHEMA_DIR, parts.schemaDir);
  const env = {
    ...serviceEnvironment(service, options.dotEnv),
    POSTGRES_SEEDS: options.postgres.host,
    DB_PORT: String(options.postgres.port),
    PATH: toolsPath(),
  };
  const { stdout, stderr } = await run('/bin/sh', ['-c', script], { env, maxBuffer: 16 * 1024 * 1024 });
  return stdout + stderr;
}

export interface RunningTemporalServer {
  address: string;
  /** The values the server ran with (no password), for the test's report. */
  settings: Record<string, string>;
  process: ManagedProcess;
  stop(): Promise<void>;
}

interface ServerPorts {
  frontend: number;
  env: Record<string, string>;
}

/** Membership ports are stored in a smallint column of the cluster_membership table. */
const SMALLINT_LIMIT = 32_768;

async function serverPorts(): Promise<ServerPorts> {
  // Every port of the four services: defaults would clash with `npm start` and other test runs.
  const names = [
    'FRONTEND_GRPC_PORT',
    'FRONTEND_HTTP_PORT',
    'FRONTEND_MEMBERSHIP_PORT',
    'HISTORY_GRPC_PORT',
    'HISTORY_MEMBERSHIP_PORT',
    'MATCHING_GRPC_PORT',
    'MATCHING_MEMBERSHIP_PORT',
    'WORKER_GRPC_PORT',
    'WORKER_MEMBERSHIP_PORT',
    'INTERNAL_FRONTEND_HTTP_PORT',
  ];
  const env: Record<string, string> = {};
  for (const name of names)
    env[name] = String(await freePort(name.includes('MEMBERSHIP') ? SMALLINT_LIMIT : undefined));
  return { frontend: Number(env.FRONTEND_GRPC_PORT), env };
}

export interface TemporalServerHandle {
  /** Starts (or restarts) the server on the same ports and database; resolves once it serves. */
  start(): Promise<RunningTemporalServer>;
  address: string;
  settings: Record<string, string>;
}

/** Prepares the server's config folder and ports once, so a restart is the same server. */
export async function prepareTemporalServer(options: TemporalClusterOptions): Promise<TemporalServerHandle> {
  const parts: TemporalServerParts = temporalServerParts();
  const service = composeService(options.compose, 'temporal');
  const composeEnv = serviceEnvironment(service, options.dotEnv);
  const configDir = path.join(options.workDir, 'temporal-config');
  mkdirSync(configDir, { recursive: true });
  writeFileSync(
    path.join(configDir, 'docker.yaml'),
    toServerTemplate(readFileSync(parts.configTemplate, 'utf8')),
  );
  const ports = await serverPorts();
  const env: Record<string, string> = {
    ...composeEnv,
    ...ports.env,
    POSTGRES_SEEDS: options.postgres.host,
    DB_PORT: String(options.postgres.port),
    BIND_ON_IP: '127.0.0.1',
    DYNAMIC_CONFIG_FILE_PATH: hostPath(service, composeEnv.DYNAMIC_CONFIG_FILE_PATH ?? ''),
    // Only the server's log volume differs from compose: info lines would drown a failure message.
    LOG_LEVEL: 'warn',
  };
  const address = `127.0.0.1:${ports.frontend}`;
  const settings = Object.fromEntries(Object.entries(env).filter(([name]) => !/PWD|PASSWORD/.test(name)));
  return {
    address,
    settings,
    async start() {
      const server = startProcess(
        'temporal-server',
        parts.server,
        [
          '--root',
          options.workDir,
          '--config',
          'temporal-config',
          '--env',
          'docker',
          '--allow-no-auth',
          'start',
        ],
        { env: { ...env, PATH: process.env.PATH } },
      );
      await waitForFrontend(address, server);
      return { address, settings, process: server, stop: () => server.stop('SIGTERM', 30_000) };
    },
  };
}

/** `temporal operator cluster health` until SERVING (as compose's set-up step waits). */
async function waitForFrontend(address: string, server: ManagedProcess): Promise<void> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      const { stdout } = await run(resolveTemporalBinary('cli'), [
        'operator',
        'cluster',
        'health',
        '--address',
        address,
      ]);
      if (/SERVING/.test(stdout)) return;
    } catch {
      // not yet up
    }
    const exited = await Promise.race([
      server.exited.then(() => true),
      new Promise((r) => setTimeout(() => r(false), 1000)),
    ]);
    if (exited) throw new Error(`the Temporal server exited while starting:\n${tail(server.output())}`);
    if (Date.now() > deadline)
      throw new Error(`the Temporal server did not serve within 90 s:\n${tail(server.output())}`);
  }
}

/** Runs compose's `temporal-setup` script: namespace and search attributes. */
export async function runComposeSetup(options: TemporalClusterOptions, address: string): Promise<string> {
  const service = composeService(options.compose, 'temporal-setup');
  const env = {
    ...serviceEnvironment(service, options.dotEnv),
    TEMPORAL_ADDRESS: address,
    PATH: toolsPath(),
  };
  const { stdout, stderr } = await run('/bin/sh', ['-c', serviceScript(service)], { env });
  return stdout + stderr;
}
