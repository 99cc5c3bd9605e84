/**
 * The HR API process (`node dist/client/http/main.js` in the container, `tsx client/http/main.ts` in dev).
 * Exit codes: 0 after a graceful stop on SIGTERM/SIGINT; 1 on a configuration error (every bad
 * variable named on stderr, e.g. a missing LIFECYCLE_API_KEY), when Temporal cannot be reached at
 * start, or when the port cannot be bound.
 */
import { runProcessMain } from '../../config/process-main';
import { ConfigError } from '../../config/config-error';
import { lifecycleDataConverter } from '../../lifecycle/payload-codec/data-converter';
import { type HttpApiConfig, httpApiConfigFromEnv, httpApiSecretValues } from '../../config/http-api';
import { createApiLogger } from './logger';
import { staffbaseEventsApiOptions } from './staffbase-events';
import { type RunningHttpApi, connectTemporalClient, startHttpApi } from './server';
import { type LifecycleStore, openStore } from '../../store';

async function main(): Promise<number> {
  let config: HttpApiConfig;
  try {
    config = httpApiConfigFromEnv(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`hr-api: ${error.message}\nSee .env.example for every variable and its default.`);
    return 1;
  }
  const logger = createApiLogger({ ...config.logging, secrets: httpApiSecretValues(process.env) });

  let api: RunningHttpApi | undefined;
  let temporal: Awaited<ReturnType<typeof connectTemporalClient>> | undefined;
  let store: LifecycleStore;
  let stopRequested: NodeJS.Signals | undefined;
  let stopped: () => void = () => undefined;
  const stop = new Promise<void>((resolve) => (stopped = resolve));
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopRequested) {
      logger.warn(`Second ${signal}: exiting without waiting for requests in flight`);
      process.exit(1);
    }
    stopRequested = signal;
    logger.info(`${signal} received: stopping the HR API (requests in flight finish)`);
    stopped();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  const dataConverter = lifecycleDataConverter(config.encryption);
  if (config.encryption.mode === 'off') {
    logger.warn('LIFECYCLE_ENCRYPTION=off: names and emails are stored in clear in Temporal');
  }
  try {
    // Opened once for the process (the person index behind GET /v1/people, audit rows, GET /v1/audit;
    // SQLite migrates itself, PostgreSQL was migrated by its set-up job); closed after the API.
    store = await openStore(config.store);
  } catch (error) {
    // `where` only: a PostgreSQL URL carries a password.
    logger.error('Cannot open the store; check LIFECYCLE_STORE_URL', {
      store: config.store.kind === 'sqlite' ? config.store.file : config.store.where,
      error,
    });
    return 1;
  }
  try {
    temporal = await connectTemporalClient(config.temporal, dataConverter);
  } catch (error) {
    logger.error('Cannot reach Temporal; check TEMPORAL_ADDRESS (and TLS / API key settings)', {
      temporalAddress: config.temporal.address,
      error,
    });
    await store.close().catch(() => undefined);
    return 1;
  }
  try {
    if (!stopRequested) {
      api = await startHttpApi({
        temporalClient: temporal.client,
        store,
        policies: config.policies,
        apiKey: config.apiKey,
        adminApiKey: config.adminApiKey,
        payloadCodecs: dataConverter.payloadCodecs,
        codecCorsOrigin: config.codecCorsOrigin,
        ...(config.trustedUserHeader !== undefined && { trustedUserHeader: config.trustedUserHeader }),
        importLimits: config.importLimits,
        devMode: config.devMode,
        bodyLimit: config.bodyLimit,
        host: config.host,
        port: config.port,
        ...staffbaseEventsApiOptions(config.staffbaseEvents),
        logger,
        // The console's link to each run in the Temporal UI.
        console: {
          ...(config.temporalUiUrl && { temporalUiUrl: config.temporalUiUrl }),
          namespace: config.temporal.namespace,
        },
      });
      logger.info('HR API ready', {
        temporalAddress: config.temporal.address,
        namespace: config.temporal.namespace,
      });
    }
  } catch (error) {
    logger.error('HR API failed to start', { error, host: config.host, port: config.port });
    await temporal.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    return 1;
  }

  await stop;
  await api?.close();
  await temporal.close().catch(() => undefined);
  await store.close().catch(() => undefined);
  return 0;
}

runProcessMain('hr-api', main);
