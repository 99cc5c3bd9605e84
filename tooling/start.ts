/**
 * `npm start`: the whole service in one terminal — the Temporal dev server (state in .data/, Web UI),
 * the Staffbase simulator (unless STAFFBASE_BASE_URL is set), the worker, the HR API and the clean-up
 * Schedules — then a banner saying where each is and how to trigger a first onboarding.
 *
 * Reads `.env` from the project root when present (ENV_FILE names another file); variables already
 * in the environment win. Every variable is checked before anything starts.
 * Exit codes: 0 after Ctrl-C / SIGTERM (everything stopped, in reverse order); 1 on a configuration
 * error (every bad variable named), a failed start, or a component that stopped on its own.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config/config-error';
import { installWorkerRuntime } from '../worker/process';
import { type RunningStack, startStack } from './stack';
import { type DevKeyUse, useDevEncryptionKey } from './dev-encryption-key';
import { DEFAULT_DATA_DIR, type StartConfig, startConfigFromEnv } from '../config/start';
import { TemporalBinaryNotFoundError, projectRoot, resolveTemporalBinary } from './temporal-binaries';

/** Loads ENV_FILE, or `.env` when it exists; returns the file loaded. Throws for a missing ENV_FILE. */
function loadEnvFile(env: NodeJS.ProcessEnv): string | undefined {
  const explicit = env.ENV_FILE?.trim();
  const file = explicit ? path.resolve(projectRoot, explicit) : path.join(projectRoot, '.env');
  if (!existsSync(file)) {
    if (explicit) throw new ConfigError([{ variable: 'ENV_FILE', message: `names no file (${file})` }]);
    return undefined;
  }
  process.loadEnvFile(file);
  return file;
}

async function main(): Promise<number> {
  let config: StartConfig;
  let envFile: string | undefined;
  let devKey: DevKeyUse;
  try {
    envFile = loadEnvFile(process.env);
    // Before the configuration is read: the key it finds may be the dev key of .data/.
    devKey = useDevEncryptionKey(
      process.env,
      path.resolve(projectRoot, process.env.DATA_DIR?.trim() || DEFAULT_DATA_DIR),
    );
    config = startConfigFromEnv(process.env);
    if (config.devServer) resolveTemporalBinary('cli');
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`npm start: ${error.message}\nSee .env.example for every variable and its default.`);
      return 1;
    }
    if (error instanceof TemporalBinaryNotFoundError) {
      console.error(`npm start: ${error.message}\n(Or set TEMPORAL_ADDRESS to use a running cluster.)`);
      return 1;
    }
    throw error;
  }
  const logger = installWorkerRuntime(config.worker, config.secrets, 'start');
  if (envFile) logger.info(`Loaded ${path.relative(process.cwd(), envFile) || envFile}`);
  if (devKey.source === 'file') {
    logger.info(
      `LIFECYCLE_ENCRYPTION_KEY is not set: payloads are encrypted with the development key ${devKey.generated ? 'generated into' : 'from'} ${devKey.file} ` +
        '(set LIFECYCLE_ENCRYPTION_KEY for anything but this machine)',
    );
  }

  let stack: RunningStack | undefined;
  let stopRequested: NodeJS.Signals | undefined;
  let stopRequestedAt = 0;
  let stopped: () => void = () => undefined;
  const stopSignal = new Promise<void>((resolve) => (stopped = resolve));
  const onSignal = (signal: NodeJS.Signals): void => {
    // One Ctrl-C often arrives twice: from the terminal to the whole process group, and relayed by
    // npm / tsx. Only a second one a moment later means "stop waiting".
    if (stopRequested && Date.now() - stopRequestedAt < 2_000) return;
    if (stopRequested) {
      logger.warn(`Second ${signal}: exiting without waiting`);
      stack?.killNow();
      process.exit(1);
    }
    stopRequested = signal;
    stopRequestedAt = Date.now();
    logger.info(`${signal} received: stopping the HR API, the worker, the simulator and Temporal`);
    stopped();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // Whatever happens, the dev server (its own process group) does not outlive this process.
  process.on('exit', () => stack?.killNow());

  try {
    stack = await startStack(config, logger);
  } catch (error) {
    logger.error('npm start failed; everything started so far was stopped', { error });
    return 1;
  }
  // The SDK forwards its native start-up logs a moment later: let them pass so the banner stays last.
  await new Promise((resolve) => setTimeout(resolve, 750));
  if (!stopRequested) process.stdout.write(`\n${stack.banner}\n\n`);

  const crash = await Promise.race([stopSignal.then(() => undefined), stack.crashed]);
  if (crash) logger.error('A component stopped on its own; stopping everything', { error: crash });
  await stack.stop();
  logger.info('Everything stopped');
  return crash ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('npm start: unexpected error', error);
    process.exit(1);
  },
);
