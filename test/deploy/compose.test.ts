/**
 * No Docker engine runs where the tests run, so these checks read docker-compose.yml, the Dockerfile and
 * .env.example as text and keep them consistent with the code: services and start order, pinned
 * images, ports, health checks, and every environment variable matching what the config modules read.
 * `npm run test:cluster` (test/deploy/cluster.test.ts) then RUNS this topology; the checks marked
 * "cluster" below keep compose on the values that test ran with (server version, settings files).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { msToNumber } from '@temporalio/common/lib/time';
import { HTTP_API_ENV_VARS, HTTP_API_SECRET_ENV_VARS } from '../../config/http-api';
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
} from '../helpers/cluster/compose-file';
import { isIgnored, parseDockerignore } from '../helpers/cluster/dockerignore';
import { LOGGING_ENV_VARS } from '../../config/logging';
import { STAFFBASE_ENV_VARS } from '../../config/staffbase';
import { DEFAULT_TEMPORAL_ADDRESS } from '../../config/defaults';
import { TEMPORAL_ENV_VARS } from '../../config/temporal';
import { defaultOffboardingPolicy } from '../../lifecycle/offboarding-request';
import { defaultOnboardingPolicy } from '../../lifecycle/onboarding-request';
import { POLICY_ENV_VARS, policiesFromEnv } from '../../config/policies';
import { lifecycleSearchAttributes, searchAttributeCliType } from '../../lifecycle/search-attributes';
import { staffbaseConfigFromEnv } from '../../config/staffbase';
import { loggingConfigFromEnv } from '../../config/logging';
import { WORKER_ENV_VARS, WORKER_SECRET_ENV_VARS } from '../../config/worker';
import { WORKER_PROCESS_ENV, WORKER_PROCESS_ENV_VARS } from '../../config/worker-process';

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
]);
const secretVariables = new Set<string>([...WORKER_SECRET_ENV_VARS, ...HTTP_API_SECRET_ENV_VARS]);

type Service = ComposeService;

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
  it('runs PostgreSQL, the Temporal server with its schema and setup jobs, the UI, the worker and the HR API', () => {
    assert.deepEqual(Object.keys(services).sort(), [
      'hr-api',
      'postgresql',
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
      const tag = /:([^/:]+)$/.exec(definition.image)?.[1];
      assert.ok(tag, `${name}: image ${definition.image} has no tag`);
      assert.notEqual(tag, 'latest', `${name} uses latest`);
      // x.y.z, or x.y where that is a full release (PostgreSQL numbers its releases 16.10, 16.11, …).
      assert.match(tag, /^\d+\.\d+(\.\d+)?(-[a-z0-9.-]+)?$/, `${name}: ${definition.image} is not pinned`);
    }
    assert.match(service('postgresql').image ?? '', /^postgres:/);
    for (const name of ['temporal-schema', 'temporal-setup']) {
      assert.match(service(name).image ?? '', /^temporalio\/admin-tools:/);
    }
    assert.match(service('temporal').image ?? '', /^temporalio\/server:/);
    assert.match(service('temporal-ui').image ?? '', /^temporalio\/ui:/);
    // The server and its admin tools move together.
    const serverVersion = service('temporal').image?.split(':')[1];
    assert.equal(service('temporal-schema').image?.split(':')[1], serverVersion);
    assert.equal(service('temporal-setup').image?.split(':')[1], serverVersion);
  });

  it('builds the worker and the HR API from the project Dockerfile, tagged with the package version', () => {
    for (const name of ours) {
      assert.equal(service(name).build, '.', `${name} is not built from the Dockerfile`);
      assert.equal(service(name).image, `staffbase-lifecycle:${version}`);
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
    assert.match(script, /search-attribute create .*--name \\"\$\$name\\" --type \\"\$\$type\\"/);
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
    assert.equal(imageTag(service('temporal').image), temporalServer.version);
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
    assert.match(composeText, /POSTGRES_PASSWORD:\s*\$\{POSTGRES_PASSWORD:\?/);
    assert.doesNotMatch(composeText, /POSTGRES_PASSWORD:-/, 'no default database password');
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
      const secret = secretVariables.has(entry.name) || entry.name === 'POSTGRES_PASSWORD';
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
    const envNames = [...dockerfile.matchAll(/^(?:ENV|ARG)\s+([\s\S]*?)(?<!\\)$/gm)].flatMap((match) =>
      [...(match[1] ?? '').matchAll(/([A-Z][A-Z0-9_]*)=/g)].map((name) => name[1] ?? ''),
    );
    assert.ok(envNames.length > 0);
    for (const name of envNames) {
      assert.ok(knownVariables.has(name), `the Dockerfile sets ${name}, which no config module reads`);
      assert.ok(!secretVariables.has(name), `the Dockerfile sets the secret ${name}`);
    }
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
