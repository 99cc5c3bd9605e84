/**
 * No Docker engine runs where the tests run, so these checks read docker-compose.yml, the Dockerfile and
 * .env.example as text and keep them consistent with the code: services and start order, pinned
 * images, ports, health checks, and every environment variable matching what the config modules read.
 * `npm run test:cluster` (test/deploy/cluster.test.ts) then RUNS this topology; the checks marked
 * "cluster" below keep compose on the values that test ran with (server version, settings files).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { msToNumber } from '@temporalio/common/lib/time';
import { HTTP_API_ENV_VARS, HTTP_API_SECRET_ENV_VARS } from '../../config/http-api';
import { parse as parseYaml } from 'yaml';
import { engines, temporalServer, version } from '../../package.json';
import { START_ENV_VARS } from '../../config/start';
import { SCHEDULE_ENV_VARS } from '../../config/schedules';
import { WORKER_SHUTDOWN_GRACE_MS } from '../../worker/workers';
import {
  type ComposeService,
  bindMounts,
  hostPath,
  imageTag,
  readComposeFile,
  readEnvFile,
  serviceScript,
} from '../helpers/cluster/compose-file';
import { resolveTemporalBinary } from '../../tooling/temporal-binaries';
import { isIgnored, parseDockerignore } from '../helpers/cluster/dockerignore';
import { LOGGING_ENV_VARS } from '../../config/logging';
import { STAFFBASE_ENV_VARS } from '../../config/staffbase';
import { DEFAULT_TEMPORAL_ADDRESS } from '../../config/defaults';
import { TEMPORAL_CONFIG_FILE_ENV_VARS, TEMPORAL_ENV_VARS } from '../../config/temporal';
import { defaultOffboardingPolicy } from '../../lifecycle/offboarding-request';
import { defaultOnboardingPolicy } from '../../lifecycle/onboarding-request';
import { POLICY_ENV_VARS, policiesFromEnv } from '../../config/policies';
import { lifecycleSearchAttributes, searchAttributeCliType } from '../../lifecycle/search-attributes';
import { staffbaseConfigFromEnv } from '../../config/staffbase';
import { loggingConfigFromEnv } from '../../config/logging';
import { WORKER_ENV_VARS, WORKER_SECRET_ENV_VARS } from '../../config/worker';
import { RECONCILE_DROP_ENV_VARS } from '../../config/reconcile-drop';
import { RECONCILE_SOURCE_ENV_VARS } from '../../config/reconcile-source';
import { WORKER_PROCESS_ENV, WORKER_PROCESS_ENV_VARS } from '../../config/worker-process';
import { DEFAULT_HTTP_API_BODY_LIMIT } from '../../config/defaults';
import { apiRoutes } from '../../client/http/app';
import { type ApiRoute } from '../../client/http/route-spec';
import { defaultImportLimits } from '../../config/import-limits';
import { taskQueues } from '../../lifecycle/task-queues';
import { priorityServerSettings } from '../../lifecycle/priority-lanes';

const root = path.resolve(__dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

/** Every variable some config module of the project reads. */
const knownVariables = new Set<string>([
  ...WORKER_ENV_VARS,
  ...TEMPORAL_ENV_VARS,
  ...STAFFBASE_ENV_VARS,
  ...LOGGING_ENV_VARS,
  ...POLICY_ENV_VARS,
  ...HTTP_API_ENV_VARS,
  ...START_ENV_VARS,
  ...SCHEDULE_ENV_VARS,
  ...WORKER_PROCESS_ENV_VARS,
  // Read by worker/main.ts only: compose's worker mounts no drop folder and pulls no source by default.
  ...RECONCILE_DROP_ENV_VARS,
  ...RECONCILE_SOURCE_ENV_VARS,
]);
const secretVariables = new Set<string>([...WORKER_SECRET_ENV_VARS, ...HTTP_API_SECRET_ENV_VARS]);

type Service = ComposeService;

/** The hardening keys compose-file.ts does not type. */
interface HardenedService extends ComposeService {
  init?: boolean;
  read_only?: boolean;
  tmpfs?: string[];
  cap_drop?: string[];
  cap_add?: string[];
  security_opt?: string[];
  pull_policy?: string;
  restart?: string;
}

interface PinnedImage {
  image: string;
  source: string;
}
/** `1g`, `800MiB`, `256m` as bytes. */
function bytes(size: string): number {
  const match = /^(\d+)(k|m|g|KiB|MiB|GiB)$/.exec(size);
  assert.ok(match, `cannot read the size ${size}`);
  const unit = { k: 1024, m: 1024 ** 2, g: 1024 ** 3, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 }[
    match[2] as 'k' | 'm' | 'g' | 'KiB' | 'MiB' | 'GiB'
  ];
  return Number(match[1]) * unit;
}

type DynamicConfig = Record<string, { value: unknown; constraints?: Record<string, unknown> }[]>;

/** The dynamic config file compose mounts into the server. */
function dynamicConfig(): DynamicConfig {
  const settings = readEnvFile('deploy/temporal.env');
  const file = hostPath(service('temporal'), settings.DYNAMIC_CONFIG_FILE_PATH ?? '');
  return parseYaml(readFileSync(file, 'utf8')) as DynamicConfig;
}

/** The value of a setting without constraints (for the whole server). */
function globalValue(config: DynamicConfig, key: string): unknown {
  const entries = (config[key] ?? []).filter((entry) => Object.keys(entry.constraints ?? {}).length === 0);
  assert.equal(entries.length, 1, `${key}: one value for the whole server`);
  return entries[0]?.value;
}

const imageTags = JSON.parse(read('deploy/image-tags.json')) as {
  images: Record<'postgresql' | 'temporal-server' | 'temporal-admin-tools' | 'temporal-ui', PinnedImage>;
};

const composeText = read('docker-compose.yml');
const compose = readComposeFile();
const services = compose.services;
const ours = ['worker', 'hr-api'] as const;

function service(name: string): Service {
  const found = services[name];
  assert.ok(found, `docker-compose.yml has no service "${name}"`);
  return found;
}

/** `${VAR}`, `${VAR:-default}`, `${VAR:?message}` — but not `$${shell}` (escaped for the shell). */
function interpolatedVariables(text: string): Set<string> {
  return new Set([...text.matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => match[1] ?? ''));
}

interface EnvExampleEntry {
  name: string;
  value: string;
  commented: boolean;
  /** The comment lines right above the entry (back to the previous entry or blank line). */
  comment: string;
}

function envExampleEntries(text: string): EnvExampleEntry[] {
  const entries: EnvExampleEntry[] = [];
  let comment: string[] = [];
  for (const line of text.split('\n')) {
    const match = /^(#\s?)?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (match) {
      entries.push({
        name: match[2] ?? '',
        value: match[3] ?? '',
        commented: match[1] !== undefined,
        comment: comment.join('\n'),
      });
      comment = [];
    } else if (line.startsWith('#')) {
      comment.push(line);
    } else {
      comment = [];
    }
  }
  return entries;
}

const envExample = envExampleEntries(read('.env.example'));
const documented = new Set(envExample.map((entry) => entry.name));

describe('docker-compose.yml', () => {
  it('runs PostgreSQL, the Temporal server with its schema and setup jobs, the store migration, the UI, the worker and the HR API', () => {
    assert.deepEqual(Object.keys(services).sort(), [
      'hr-api',
      'postgresql',
      'store-migrate',
      'temporal',
      'temporal-schema',
      'temporal-setup',
      'temporal-ui',
      'worker',
    ]);
  });

  it('pins every image to a version (no latest, no floating tag)', () => {
    for (const [name, definition] of Object.entries(services)) {
      assert.ok(definition.image, `${name} has no image`);
      // Ours: <version>-<git commit> from deploy/compose-up.sh (the next test).
      if ((ours as readonly string[]).includes(name) || name === 'store-migrate') continue;
      const tag = /:([^/:]+)$/.exec(definition.image)?.[1];
      assert.ok(tag, `${name}: image ${definition.image} has no tag`);
      assert.notEqual(tag, 'latest', `${name} uses latest`);
      // x.y.z, or x.y where that is a full release (PostgreSQL numbers its releases 16.10, 16.11, …).
      assert.match(tag, /^\d+\.\d+(\.\d+)?(-[a-z0-9.-]+)?$/, `${name}: ${definition.image} is not pinned`);
    }
  });

  it('runs exactly the images of deploy/image-tags.json, each with the public source that shows it exists', () => {
    const pinned = imageTags.images;
    const expected: Record<string, keyof typeof pinned> = {
      postgresql: 'postgresql',
      'temporal-schema': 'temporal-admin-tools',
      temporal: 'temporal-server',
      'temporal-setup': 'temporal-admin-tools',
      'temporal-ui': 'temporal-ui',
    };
    for (const [name, key] of Object.entries(expected)) {
      assert.equal(
        service(name).image,
        pinned[key].image,
        `${name} must run ${key} of deploy/image-tags.json`,
      );
    }
    for (const [key, entry] of Object.entries(pinned)) {
      assert.match(entry.source, /https:\/\/\S+/, `${key}: no public source`);
      assert.ok((Object.values(expected) as string[]).includes(key), `${key} is pinned but unused`);
    }
    assert.match(pinned['temporal-server'].image, /^temporalio\/server:\d+\.\d+\.\d+$/);
    assert.match(pinned.postgresql.image, /^postgres:\d+\.\d+-bookworm$/);
    assert.match(pinned['temporal-ui'].image, /^temporalio\/ui:\d+\.\d+\.\d+$/);
    assert.match(pinned['temporal-admin-tools'].image, /^temporalio\/admin-tools:/);
    // admin-tools of the SAME server patch release. For 1.29.x it is published only under
    // `<server>-tctl-<x.y.z>-cli-<x.y.z>`: a bare `temporalio/admin-tools:1.29.1` does not exist.
    const serverVersion = imageTag(pinned['temporal-server'].image) ?? '';
    const adminTools = imageTag(pinned['temporal-admin-tools'].image) ?? '';
    assert.match(
      adminTools,
      /^\d+\.\d+\.\d+-tctl-\d+\.\d+\.\d+-cli-\d+\.\d+\.\d+$/,
      `admin-tools tag ${adminTools}`,
    );
    assert.ok(
      adminTools.startsWith(`${serverVersion}-`),
      `admin-tools ${adminTools} is not for server ${serverVersion}`,
    );
  });

  it('builds our image once, tagged <package version>-<git commit>; the HR API runs that same image', () => {
    assert.match(service('worker').image ?? '', /^staffbase-lifecycle:\$\{LIFECYCLE_IMAGE_TAG:\?[^}]+\}$/);
    assert.equal(service('hr-api').image, service('worker').image);
    const build = service('worker').build as { context?: string; args?: Record<string, string> } | undefined;
    assert.equal(build?.context, '.', 'the worker is built from the project Dockerfile');
    assert.match(build?.args?.LIFECYCLE_IMAGE_TAG ?? '', /^\$\{LIFECYCLE_IMAGE_TAG:\?/);
    // Only one service builds: a second `build:` would build (and tag) the image twice.
    for (const [name, definition] of Object.entries(services)) {
      if (name !== 'worker') assert.equal(definition.build, undefined, `${name} builds an image`);
    }
    assert.equal((service('hr-api') as HardenedService).pull_policy, 'never');
    // The store's migration runs the CLI of the same image.
    assert.equal(service('store-migrate').image, service('worker').image);
    assert.equal((service('store-migrate') as HardenedService).pull_policy, 'never');
    // The script that builds: version from package.json, commit from git, one `docker compose build`.
    const script = read('deploy/compose-up.sh');
    assert.match(script, /require\('\.\/package\.json'\)\.version/);
    assert.match(script, /git rev-parse --short=\d+ HEAD/);
    assert.match(script, /export LIFECYCLE_IMAGE_TAG="\$tag"/);
    assert.equal([...script.matchAll(/^docker compose build\b/gm)].length, 1, 'one build');
    assert.match(script, /^docker compose up -d --no-build$/m);
    assert.match(script, /git status --porcelain/, 'a tree with changes must not get a commit tag');
    // The running tag is recorded in .env, so every other compose command interpolates it.
    assert.match(script, /s\/\^LIFECYCLE_IMAGE_TAG=\.\*\/LIFECYCLE_IMAGE_TAG=\$tag\/" \.env/);
    assert.match(version, /^\d+\.\d+\.\d+/);
  });

  it('hardens every container: init, no capabilities, no privilege gain, read-only where nothing writes', () => {
    for (const [name, definition] of Object.entries(services)) {
      const hardened = definition as HardenedService;
      assert.equal(hardened.init, true, `${name}: init`);
      assert.deepEqual(hardened.cap_drop, ['ALL'], `${name}: cap_drop`);
      assert.deepEqual(hardened.security_opt, ['no-new-privileges:true'], `${name}: security_opt`);
    }
    // temporal and temporal-ui stay writable: their entrypoints render a config file at start.
    for (const name of ['postgresql', 'temporal-schema', 'temporal-setup', ...ours]) {
      const hardened = service(name) as HardenedService;
      assert.equal(hardened.read_only, true, `${name}: read_only`);
      assert.ok(hardened.tmpfs?.includes('/tmp'), `${name}: a tmpfs for /tmp`);
    }
    // PostgreSQL's entrypoint chowns its data folder and drops to the postgres user: only that.
    const postgres = service('postgresql') as HardenedService;
    assert.deepEqual([...(postgres.cap_add ?? [])].sort(), [
      'CHOWN',
      'DAC_OVERRIDE',
      'FOWNER',
      'SETGID',
      'SETUID',
    ]);
    assert.ok(
      postgres.tmpfs?.includes('/var/run/postgresql'),
      'PostgreSQL writes its socket and lock file there',
    );
    for (const name of ['temporal', 'temporal-ui', 'temporal-schema', 'temporal-setup', ...ours]) {
      assert.equal((service(name) as HardenedService).cap_add, undefined, `${name} needs no capability`);
    }
  });

  it('runs compiled entry points that exist in the sources', () => {
    const worker = service('worker').command;
    assert.deepEqual(worker, ['node', 'dist/worker/main.js']);
    assert.ok(existsSync(path.join(root, 'worker', 'main.ts')));
    const hrApi = service('hr-api').command;
    assert.deepEqual(hrApi, ['node', 'dist/client/http/main.js']);
    assert.ok(existsSync(path.join(root, 'client', 'http', 'main.ts')));
  });

  it('publishes every port on localhost only; the HR API is reached through a TLS proxy', () => {
    assert.deepEqual(service('temporal').ports, ['127.0.0.1:7233:7233']);
    assert.deepEqual(service('temporal-ui').ports, ['127.0.0.1:8233:8080']);
    const apiPort = String(service('hr-api').environment?.LIFECYCLE_API_PORT);
    assert.deepEqual(service('hr-api').ports, [`127.0.0.1:${apiPort}:${apiPort}`]);
    assert.equal(service('hr-api').environment?.LIFECYCLE_API_HOST, '0.0.0.0');
    const metricsPort = String(service('worker').environment?.METRICS_PORT);
    assert.deepEqual(service('worker').expose, [metricsPort]);
    assert.equal(service('worker').ports, undefined, 'the metrics port stays inside the compose network');
    for (const name of ['postgresql', 'temporal-schema', 'temporal-setup']) {
      assert.equal(service(name).ports, undefined, `${name} must not publish a port`);
    }
  });

  it('starts in order: every dependency has a condition, and health conditions have health checks', () => {
    for (const [name, definition] of Object.entries(services)) {
      const dependsOn = definition.depends_on ?? {};
      assert.ok(!Array.isArray(dependsOn), `${name}: depends_on must name a condition for each service`);
      for (const [dependency, { condition }] of Object.entries(dependsOn)) {
        assert.ok(services[dependency], `${name} depends on unknown service ${dependency}`);
        assert.ok(
          ['service_healthy', 'service_completed_successfully', 'service_started'].includes(condition),
          `${name} → ${dependency}: unknown condition ${condition}`,
        );
        if (condition === 'service_healthy') {
          assert.ok(
            services[dependency]?.healthcheck,
            `${dependency} has no healthcheck, but ${name} waits for it`,
          );
        }
      }
    }
    const conditionOf = (name: string, dependency: string) =>
      (service(name).depends_on as Record<string, { condition: string }> | undefined)?.[dependency]
        ?.condition;
    assert.equal(conditionOf('temporal-schema', 'postgresql'), 'service_healthy');
    assert.equal(conditionOf('temporal', 'temporal-schema'), 'service_completed_successfully');
    assert.equal(conditionOf('temporal-setup', 'temporal'), 'service_healthy');
    assert.equal(conditionOf('temporal-ui', 'temporal'), 'service_healthy');
    for (const name of ours) {
      assert.equal(conditionOf(name, 'temporal'), 'service_healthy');
      assert.equal(conditionOf(name, 'temporal-setup'), 'service_completed_successfully');
    }
  });

  it('health-checks every long-running service it can', () => {
    for (const name of ['postgresql', 'temporal', ...ours]) {
      const check = service(name).healthcheck;
      assert.ok(check, `${name} has no healthcheck`);
      assert.ok(check.test.length > 0);
    }
    // The worker: the server must see it polling (worker/healthcheck.ts), not merely a port open.
    assert.deepEqual(service('worker').healthcheck?.test, ['CMD', 'node', 'dist/worker/healthcheck.js']);
    assert.ok(existsSync(path.join(root, 'worker', 'healthcheck.ts')));
    const apiPort = String(service('hr-api').environment?.LIFECYCLE_API_PORT);
    const apiCheck = JSON.stringify(service('hr-api').healthcheck?.test);
    assert.ok(
      apiCheck.includes(`http://127.0.0.1:${apiPort}/health`),
      'the HR API check must call GET /health',
    );
    assert.match(apiCheck, /temporal\.reachable/);
  });

  it('limits memory and rotates logs of every service', () => {
    for (const [name, definition] of Object.entries(services)) {
      assert.match(definition.mem_limit ?? '', /^\d+[mg]$/, `${name} has no memory limit`);
      assert.equal(definition.logging?.driver, 'json-file', `${name} logs without rotation`);
      assert.ok(definition.logging?.options?.['max-size'], `${name}: logging has no max-size`);
      assert.ok(definition.logging?.options?.['max-file'], `${name}: logging has no max-file`);
    }
  });

  it("gives the worker time to finish a Staffbase call on stop (grace ≥ the worker's shutdown grace)", () => {
    const grace = msToNumber(service('worker').stop_grace_period ?? '10s');
    assert.ok(
      grace > WORKER_SHUTDOWN_GRACE_MS,
      `stop_grace_period ${grace} ms must exceed the worker's shutdownGraceTime ${WORKER_SHUTDOWN_GRACE_MS} ms`,
    );
  });

  it('registers every search attribute of the project at setup, each with its type', () => {
    const script = JSON.stringify(service('temporal-setup').command);
    for (const key of lifecycleSearchAttributes) {
      const registration = `${key.name}=${searchAttributeCliType(key)}`;
      assert.match(script, new RegExp(`\\b${registration}\\b`), `${registration} is not registered`);
    }
    assert.match(script, /search-attribute create .*--name \\"\$\$1\\" --type \\"\$\$2\\"/);
    assert.match(script, /namespace create/);
  });

  it('gives the worker and the HR API exactly the variables each reads, secrets only from .env', () => {
    // Set by the image (NODE_ENV, WORKFLOW_BUNDLE_PATH) or meaningless inside compose's network
    // (TLS and API key of a Temporal Cloud connection; dev mode).
    const notPassed = new Set<string>([
      'NODE_ENV',
      'WORKFLOW_BUNDLE_PATH',
      'LIFECYCLE_API_DEV_MODE',
      ...TEMPORAL_ENV_VARS.filter((variable) => /TLS|API_KEY/.test(variable)),
      // Temporal's config file: compose mounts none; its services are configured by variables.
      ...TEMPORAL_CONFIG_FILE_ENV_VARS,
    ]);
    const reads = {
      worker: new Set<string>([...WORKER_ENV_VARS, ...SCHEDULE_ENV_VARS]),
      'hr-api': new Set<string>(HTTP_API_ENV_VARS),
    };
    for (const name of ours) {
      const definition = service(name);
      assert.equal(definition.env_file, undefined, `${name} must not read all of .env (env_file)`);
      const passed = Object.keys(definition.environment ?? {}).sort();
      const expected = [...reads[name]].filter((variable) => !notPassed.has(variable)).sort();
      assert.deepEqual(passed, expected, `${name}: environment`);
      for (const [variable, value] of Object.entries(definition.environment ?? {})) {
        if (secretVariables.has(variable)) {
          assert.ok(
            String(value).startsWith(`\${${variable}:`),
            `${name}: ${variable} must come from .env, not from this file`,
          );
        }
      }
      assert.equal(definition.environment?.TEMPORAL_ADDRESS, 'temporal:7233');
    }
    for (const secret of ['STAFFBASE_API_TOKEN', 'SMTP_PASSWORD']) {
      assert.ok(!(secret in (service('hr-api').environment ?? {})), `the HR API must not get ${secret}`);
    }
    assert.ok(
      !('LIFECYCLE_API_KEY' in (service('worker').environment ?? {})),
      'the worker must not get the API key',
    );
  });

  it('cluster: runs the Temporal server version the cluster test builds, with the same settings files', () => {
    assert.equal(
      temporalServer.version,
      imageTag(service('temporal').image),
      "package.json temporalServer.version (the server the cluster test builds) must be compose's server version",
    );
    for (const name of ['temporal-schema', 'temporal', 'temporal-setup']) {
      assert.equal(service(name).env_file, 'deploy/temporal.env', `${name} must read deploy/temporal.env`);
    }
    const settings = readEnvFile('deploy/temporal.env');
    assert.equal(settings.DB, 'postgres12');
    const dynamicConfig = hostPath(service('temporal'), settings.DYNAMIC_CONFIG_FILE_PATH ?? '');
    assert.ok(existsSync(dynamicConfig), `DYNAMIC_CONFIG_FILE_PATH names ${dynamicConfig}, which is missing`);
    for (const [host] of bindMounts(service('temporal'))) {
      assert.ok(host.startsWith(path.join(root, 'deploy')), `${host}: mounts come from deploy/`);
    }
    // The set-up scripts read the shared values instead of repeating them.
    const schemaScript = JSON.stringify(service('temporal-schema').command);
    assert.ok(schemaScript.includes('$$DBNAME') && schemaScript.includes('$$VISIBILITY_DBNAME'));
    assert.ok(
      JSON.stringify(service('temporal-setup').command).includes('--retention \\"$$NAMESPACE_RETENTION\\"'),
    );
  });

  it('takes infrastructure secrets from .env, required rather than defaulted', () => {
    for (const secret of ['POSTGRES_PASSWORD', 'TEMPORAL_DB_PASSWORD']) {
      assert.match(composeText, new RegExp(`\\$\\{${secret}:\\?`), `${secret} is required`);
      assert.doesNotMatch(composeText, new RegExp(`\\$\\{${secret}:-`), `no default for ${secret}`);
    }
  });

  it('PostgreSQL: ready only when it answers over TCP, time to shut down cleanly', () => {
    const postgres = service('postgresql');
    assert.match(JSON.stringify(postgres.healthcheck?.test), /pg_isready -h 127\.0\.0\.1\b/);
    assert.ok(msToNumber(postgres.stop_grace_period ?? '10s') >= 30_000, 'PostgreSQL stop_grace_period');
  });

  it('Temporal connects as its own PostgreSQL role, created by the schema job, never as the superuser', () => {
    const serverEnv = service('temporal').environment ?? {};
    assert.match(String(serverEnv.POSTGRES_USER), /^\$\{TEMPORAL_DB_USER:-[a-z_]+\}$/);
    assert.match(String(serverEnv.POSTGRES_PWD), /^\$\{TEMPORAL_DB_PASSWORD:\?/);
    const roleDefault = /\$\{TEMPORAL_DB_USER:-([a-z_]+)\}/.exec(String(serverEnv.POSTGRES_USER))?.[1];
    const superuserDefault = /\$\{POSTGRES_USER:-([a-z_]+)\}/.exec(
      String(service('postgresql').environment?.POSTGRES_USER),
    )?.[1];
    assert.ok(roleDefault && superuserDefault && roleDefault !== superuserDefault, 'a role of its own');
    const schemaEnv = service('temporal-schema').environment ?? {};
    assert.equal(schemaEnv.TEMPORAL_DB_USER, serverEnv.POSTGRES_USER);
    assert.equal(schemaEnv.TEMPORAL_DB_PASSWORD, serverEnv.POSTGRES_PWD);
    const script = serviceScript(service('temporal-schema'));
    assert.match(script, /CREATE ROLE %I LOGIN/);
    assert.match(script, /ALTER ROLE :"role" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD/);
    assert.match(script, /CREATE DATABASE %I OWNER %I/);
    // The schema tool runs as the role, so the tables it creates are the role's.
    assert.match(script, /temporal-sql-tool [^\n]*-u \$TEMPORAL_DB_USER/);
    assert.match(script, /psql -v ON_ERROR_STOP=1/);
  });

  it('the store: its own role and database (temporal-schema), migrated by store-migrate before worker and HR API', () => {
    const schemaEnv = service('temporal-schema').environment ?? {};
    assert.equal(schemaEnv.STORE_DB_USER, '${STORE_DB_USER:-lifecycle_store}');
    assert.match(String(schemaEnv.STORE_DB_PASSWORD), /^\$\{STORE_DB_PASSWORD:\?/);
    const script = serviceScript(service('temporal-schema'));
    assert.match(
      script,
      /-v role="\$STORE_DB_USER" -v password="\$STORE_DB_PASSWORD" -v db="\$STORE_DB_NAME"/,
    );
    const migrate = service('store-migrate');
    assert.deepEqual(migrate.command, ['node', 'dist/client/cli/main.js', 'store', 'migrate']);
    assert.ok(existsSync(path.join(root, 'client', 'cli', 'main.ts')));
    assert.deepEqual(Object.keys(migrate.environment ?? {}), ['LIFECYCLE_STORE_URL']);
    assert.match(String(migrate.environment?.LIFECYCLE_STORE_URL), /^\$\{LIFECYCLE_STORE_URL:\?/);
    assert.match((migrate as HardenedService).restart ?? '', /^on-failure:\d+$/);
    const conditionOf = (name: string, dependency: string) =>
      (service(name).depends_on as Record<string, { condition: string }> | undefined)?.[dependency]
        ?.condition;
    assert.equal(conditionOf('store-migrate', 'temporal-schema'), 'service_completed_successfully');
    for (const name of ours) {
      assert.equal(conditionOf(name, 'store-migrate'), 'service_completed_successfully', name);
      assert.equal(service(name).environment?.LIFECYCLE_STORE_URL, migrate.environment?.LIFECYCLE_STORE_URL);
    }
  });

  it('set-up jobs fail on a real error and retry a transient one', () => {
    const schema = serviceScript(service('temporal-schema'));
    const setup = serviceScript(service('temporal-setup'));
    for (const [name, script] of [
      ['temporal-schema', schema],
      ['temporal-setup', setup],
    ] as const) {
      assert.match(script, /^set -eu$/m, `${name}: set -eu`);
      // `create || echo "exists"` turned a wrong password into "database exists".
      assert.doesNotMatch(script, /\|\|\s*echo/, `${name}: an error hidden behind echo`);
      assert.match((service(name) as HardenedService).restart ?? '', /^on-failure:\d+$/);
    }
    assert.match(schema, /until pg_isready -q; do/);
    // Namespace creation is retried: `cluster health` says SERVING before a namespace can be created.
    assert.match(setup, /^retry namespace_ready$/m);
    assert.match(setup, /namespace_ready\(\) \{[^}]*namespace create -n "\$ns"/);
    assert.match(setup, /^retry temporal operator cluster health$/m);
    assert.match(setup, /^\s+retry attribute_ready "\$\{attribute%=\*\}" "\$\{attribute#\*=\}"$/m);
  });

  it("sets the Staffbase queue's rate on the server at set-up, from the worker's own setting", () => {
    const setup = serviceScript(service('temporal-setup'));
    const command = /retry temporal task-queue config set ([^\n]*\\\n[^\n]*)/.exec(setup)?.[1] ?? '';
    assert.match(command, new RegExp(`--task-queue ${taskQueues.staffbaseApi} --task-queue-type activity`));
    assert.match(command, /--queue-rps-limit "\$STAFFBASE_REQUESTS_PER_SECOND"/);
    assert.equal(
      service('temporal-setup').environment?.STAFFBASE_REQUESTS_PER_SECOND,
      `\${STAFFBASE_REQUESTS_PER_SECOND:-${staffbaseConfigFromEnv({}).requestsPerSecond}}`,
      "the worker's variable, with the worker's default",
    );
    // The subcommand and flag exist in the CLI the project pins (the admin-tools image's CLI is 1.7.2).
    const help = execFileSync(resolveTemporalBinary('cli'), ['task-queue', 'config', 'set', '--help'], {
      encoding: 'utf8',
    });
    assert.match(help, /--queue-rps-limit\b/);
    assert.match(help, /--queue-rps-limit-reason\b/);
  });

  it('Temporal UI: read-only unless configured; its codec endpoint off unless configured', () => {
    const ui = service('temporal-ui').environment ?? {};
    assert.equal(ui.TEMPORAL_DISABLE_WRITE_ACTIONS, '${TEMPORAL_UI_DISABLE_WRITE_ACTIONS:-true}');
    // The codec needs the support key, which a browser cannot send: on by default it answered 401.
    assert.equal(ui.TEMPORAL_CODEC_ENDPOINT, '${TEMPORAL_UI_CODEC_ENDPOINT:-}');
  });

  it('sizes the Temporal server memory: GOMEMLIMIT below mem_limit, history caches capped well below it', () => {
    const server = service('temporal');
    const memLimit = bytes(server.mem_limit ?? '');
    const goMemLimit = bytes(String(server.environment?.GOMEMLIMIT ?? ''));
    assert.ok(
      goMemLimit >= memLimit * 0.6 && goMemLimit <= memLimit * 0.9,
      `GOMEMLIMIT ${goMemLimit} of ${memLimit}`,
    );
    const config = dynamicConfig();
    assert.equal(globalValue(config, 'history.cacheSizeBasedLimit'), true, 'the cache is limited by size');
    const caches =
      Number(globalValue(config, 'history.hostLevelCacheMaxSizeBytes')) +
      Number(globalValue(config, 'history.eventsHostLevelCacheMaxSizeBytes'));
    assert.ok(
      caches > 0 && caches <= goMemLimit / 2,
      `history caches ${caches} B must fit half of GOMEMLIMIT`,
    );
  });

  it('gives every task queue the priority-lane settings the dev server and the tests run with', () => {
    const config = dynamicConfig();
    for (const queue of Object.values(taskQueues)) {
      for (const [key, value] of Object.entries(priorityServerSettings)) {
        const entries = config[key] ?? [];
        assert.ok(
          entries.some((entry) => entry.constraints?.taskQueueName === queue && entry.value === value),
          `${key} = ${String(value)} is not set for ${queue}`,
        );
      }
    }
  });
});

describe('deploy/nginx.conf', () => {
  const nginx = read('deploy/nginx.conf');

  it('lets through the largest body any HR API route accepts (codec pages, imports)', () => {
    // A limit that follows the configuration (the import's IMPORT_MAX_FILE_MB) is taken at its default.
    const deps = { importLimits: defaultImportLimits } as Parameters<
      Exclude<ApiRoute['bodyLimit'], number | undefined>
    >[0];
    const limitOf = (route: ApiRoute) =>
      typeof route.bodyLimit === 'function'
        ? route.bodyLimit(deps)
        : (route.bodyLimit ?? DEFAULT_HTTP_API_BODY_LIMIT);
    const largest = Math.max(...apiRoutes.map(limitOf));
    const sizes = [...nginx.matchAll(/^\s*client_max_body_size\s+(\d+)([kKmM]?);/gm)];
    assert.equal(sizes.length, 1, 'one client_max_body_size, for the whole server');
    const [, amount = '0', unit = ''] = sizes[0] ?? [];
    const limit = Number(amount) * ({ k: 1024, m: 1024 * 1024 }[unit.toLowerCase()] ?? 1);
    assert.ok(limit >= largest, `client_max_body_size ${limit} B < ${largest} B`);
  });

  it('proxies to the HR API as compose publishes it, over TLS', () => {
    const apiPort = String(service('hr-api').environment?.LIFECYCLE_API_PORT);
    assert.match(nginx, new RegExp(`proxy_pass http://127\\.0\\.0\\.1:${apiPort};`));
    assert.match(nginx, /listen 443 ssl;/);
    assert.match(nginx, /return 301 https:/);
  });
});

describe('.env.example', () => {
  it('documents every variable the config modules read', () => {
    for (const variable of knownVariables) {
      assert.ok(documented.has(variable), `.env.example does not document ${variable}`);
    }
  });

  it('documents only variables a config module reads or docker-compose.yml interpolates', () => {
    const interpolated = interpolatedVariables(composeText);
    for (const { name } of envExample) {
      assert.ok(
        knownVariables.has(name) || interpolated.has(name),
        `.env.example documents ${name}, which nothing reads`,
      );
    }
    for (const variable of interpolated) {
      assert.ok(
        documented.has(variable),
        `docker-compose.yml uses \${${variable}}, which .env.example lacks`,
      );
    }
  });

  it('documents each variable once, marks every secret and leaves secrets empty', () => {
    const names = envExample.map((entry) => entry.name);
    assert.deepEqual(
      names.filter((name, index) => names.indexOf(name) !== index),
      [],
      'documented twice',
    );
    for (const entry of envExample) {
      const secret =
        secretVariables.has(entry.name) || ['POSTGRES_PASSWORD', 'TEMPORAL_DB_PASSWORD'].includes(entry.name);
      if (secret) {
        assert.match(entry.comment, /\[secret\]/, `${entry.name} is not marked [secret]`);
        assert.equal(entry.value, '', `${entry.name} must have no value in .env.example`);
      }
    }
  });

  it('shows the real defaults', () => {
    const shown = Object.fromEntries(
      envExample.filter((entry) => entry.commented).map((entry) => [entry.name, entry.value] as const),
    );
    const policyDefaults = Object.fromEntries(POLICY_ENV_VARS.map((name) => [name, shown[name]]));
    assert.deepEqual(policiesFromEnv(policyDefaults), {
      onboarding: defaultOnboardingPolicy,
      offboarding: defaultOffboardingPolicy,
    });
    const staffbaseDefaults = staffbaseConfigFromEnv({});
    assert.deepEqual(
      staffbaseConfigFromEnv({
        STAFFBASE_REQUESTS_PER_SECOND: shown.STAFFBASE_REQUESTS_PER_SECOND,
        STAFFBASE_REQUEST_TIMEOUT_MS: shown.STAFFBASE_REQUEST_TIMEOUT_MS,
        STAFFBASE_MAX_CONCURRENT_CALLS: shown.STAFFBASE_MAX_CONCURRENT_CALLS,
        STAFFBASE_FILTER_SPACE_ENCODING: shown.STAFFBASE_FILTER_SPACE_ENCODING,
        STAFFBASE_LOOKUP_MODE: shown.STAFFBASE_LOOKUP_MODE,
      }),
      staffbaseDefaults,
    );
    assert.equal(shown.TEMPORAL_ADDRESS, DEFAULT_TEMPORAL_ADDRESS);
    assert.equal(shown.TEMPORAL_NAMESPACE, 'default');
    assert.equal(loggingConfigFromEnv({ LOG_LEVEL: shown.LOG_LEVEL }).level, 'INFO');
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const from = [...dockerfile.matchAll(/^FROM\s+(\S+)/gm)].map((match) => match[1] ?? '');

  it('builds on a pinned Debian Node 22 image, never Alpine (the SDK needs glibc); engines still allow 20', () => {
    assert.ok(from.length > 0);
    for (const image of from) {
      assert.match(image, /^node:22\.\d+\.\d+-(bookworm|bullseye)(-slim)?$/, `base image ${image}`);
      assert.doesNotMatch(image, /alpine/);
    }
    assert.match(engines.node, /^>=20\./, 'development machines run Node 20');
  });

  it('compiles with tsconfig.build.json, which includes nothing .dockerignore leaves out', () => {
    assert.match(dockerfile, /tsc -p tsconfig\.build\.json/);
    const buildConfig = JSON.parse(read('tsconfig.build.json').replace(/^\s*\/\/.*$/gm, '')) as {
      include: string[];
    };
    const rules = parseDockerignore(read('.dockerignore'));
    for (const folder of buildConfig.include) {
      assert.ok(
        !isIgnored(rules, folder),
        `tsconfig.build.json compiles ${folder}, which is not in the build context`,
      );
    }
    assert.ok(!buildConfig.include.includes('tooling'), 'tooling/ imports test helpers');
  });

  it('installs with npm ci, pre-bundles the workflows and runs as a non-root user', () => {
    assert.match(dockerfile, /npm ci\b/);
    assert.match(dockerfile, /worker\/bundle-workflows\.ts dist\/workflow-bundle\.js/);
    assert.match(dockerfile, /WORKFLOW_BUNDLE_PATH=\/app\/dist\/workflow-bundle\.js/);
    const users = [...dockerfile.matchAll(/^USER\s+(\S+)/gm)].map((match) => match[1]);
    assert.ok(users.length > 0 && users.at(-1) !== 'root', 'the image must not run as root');
  });

  it('bakes in no secrets and sets only variables the config modules read', () => {
    const namesIn = (instruction: 'ENV' | 'ARG') =>
      [...dockerfile.matchAll(new RegExp(`^${instruction}\\s+([\\s\\S]*?)(?<!\\\\)$`, 'gm'))].flatMap(
        (match) => [...(match[1] ?? '').matchAll(/([A-Z][A-Z0-9_]*)=/g)].map((name) => name[1] ?? ''),
      );
    const envNames = namesIn('ENV');
    assert.ok(envNames.length > 0);
    for (const name of envNames) {
      assert.ok(knownVariables.has(name), `the Dockerfile sets ${name}, which no config module reads`);
      assert.ok(!secretVariables.has(name), `the Dockerfile sets the secret ${name}`);
    }
    // Build arguments: only the image's own tag (a label), passed by compose's one build.
    const buildArgs = (service('worker').build as { args?: Record<string, string> } | undefined)?.args ?? {};
    assert.deepEqual(namesIn('ARG'), Object.keys(buildArgs));
    assert.deepEqual(Object.keys(buildArgs), ['LIFECYCLE_IMAGE_TAG']);
    assert.match(dockerfile, /org\.opencontainers\.image\.version="\$\{LIFECYCLE_IMAGE_TAG\}"/);
    // After the last RUN: a new tag each commit must not invalidate the cached `npm ci` layer.
    assert.ok(
      dockerfile.search(/^ARG LIFECYCLE_IMAGE_TAG\b/m) > dockerfile.lastIndexOf('\nRUN '),
      'ARG LIFECYCLE_IMAGE_TAG comes after the last RUN',
    );
  });

  it("sets the worker process's memory settings of config/worker-process.ts in the runtime image", () => {
    const runtimeStage = dockerfile.slice(dockerfile.search(/^FROM\s+\S+\s+AS\s+runtime/m));
    for (const [name, value] of Object.entries(WORKER_PROCESS_ENV)) {
      assert.match(
        runtimeStage,
        new RegExp(`^\\s*(?:ENV\\s+)?${name}=${value.replace(/[-.]/g, '\\$&')}(?:\\s|$)`, 'm'),
        name,
      );
    }
  });

  it('keeps secrets and local state out of the build context', () => {
    const ignored = read('.dockerignore').split('\n');
    for (const entry of ['.env', 'node_modules', '.git', '.data', '.tools']) {
      assert.ok(ignored.includes(entry), `.dockerignore lacks ${entry}`);
    }
  });
});
