/**
 * The HR API as a component: `startHttpApi` listens and returns at once; `npm start` runs it
 * in-process next to the worker, `main.ts` as a process of its own.
 */
import { Client, Connection } from '@temporalio/client';
import { type DataConverter } from '@temporalio/common';
import { type FastifyInstance } from 'fastify';
import { type TemporalConfig, temporalConnectionOptions } from '../../config/temporal';
import { buildHttpApi } from './app';
import { DEFAULT_HTTP_API_HOST, DEFAULT_HTTP_API_PORT } from '../../config/defaults';
import { silentLogger } from './logger';
import { type HttpApiDeps } from './route-spec';
import { buildStaffbaseEventsApp } from './staffbase-events';

export interface StartHttpApiOptions extends HttpApiDeps {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 8080; 0 picks a free port (see `url`). */
  port?: number;
  /**
   * STAFFBASE_EVENTS_PORT: serve `staffbaseEvents` on a listener of its own (same host), not on the HR
   * API's port; 0 picks a free port (see `staffbaseEventsUrl`).
   */
  staffbaseEventsPort?: number;
}

export interface RunningHttpApi {
  /** e.g. `http://127.0.0.1:8080` (the real port when 0 was asked for). */
  url: string;
  port: number;
  app: FastifyInstance;
  /** The own events listener's base URL, when STAFFBASE_EVENTS_PORT is set. */
  staffbaseEventsUrl?: string;
  /**
   * Graceful stop: no new connections, requests in flight finish, idle keep-alive connections close.
   * The Temporal client stays open (it belongs to the caller). Safe to call twice.
   */
  close(): Promise<void>;
}

/** Builds the HR API and listens; rejects when the key policy or the port refuses it. */
export async function startHttpApi(options: StartHttpApiOptions): Promise<RunningHttpApi> {
  const logger = options.logger ?? silentLogger;
  const ownEventsListener = options.staffbaseEvents && options.staffbaseEventsPort !== undefined;
  const app = buildHttpApi(ownEventsListener ? { ...options, staffbaseEvents: undefined } : options);
  const host = options.host ?? DEFAULT_HTTP_API_HOST;
  await app.listen({ host, port: options.port ?? DEFAULT_HTTP_API_PORT });
  const port = listeningPort(app, options.port ?? DEFAULT_HTTP_API_PORT);
  const urlOf = (listening: number) => `http://${host.includes(':') ? `[${host}]` : host}:${listening}`;
  const url = urlOf(port);
  let eventsApp: FastifyInstance | undefined;
  let staffbaseEventsUrl: string | undefined;
  if (ownEventsListener && options.staffbaseEvents) {
    eventsApp = buildStaffbaseEventsApp({
      ...options.staffbaseEvents,
      temporalClient: options.temporalClient,
      logger,
      ...(options.temporalTimeoutMs !== undefined && { temporalTimeoutMs: options.temporalTimeoutMs }),
    });
    try {
      await eventsApp.listen({ host, port: options.staffbaseEventsPort });
    } catch (error) {
      await app.close();
      throw error;
    }
    staffbaseEventsUrl = urlOf(listeningPort(eventsApp, options.staffbaseEventsPort ?? 0));
    logger.info('Staffbase events listening', { url: `${staffbaseEventsUrl}/v1/staffbase/events` });
  }
  logger.info('HR API listening', {
    url,
    openapi: `${url}/v1/openapi.json`,
    auth:
      options.apiKey === undefined
        ? 'NONE (dev mode)'
        : options.adminApiKey === undefined
          ? 'bearer key (no support key: support routes answer 403)'
          : 'bearer keys (HR systems, support)',
    codecEndpoint: `${url}/codec`,
  });
  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    app,
    ...(staffbaseEventsUrl !== undefined && { staffbaseEventsUrl }),
    close() {
      closing ??= Promise.all([app.close(), eventsApp?.close()]).then(() => logger.info('HR API stopped'));
      return closing;
    },
  };
}

function listeningPort(app: FastifyInstance, fallback: number): number {
  const address = app.server.address();
  return typeof address === 'object' && address ? address.port : fallback;
}

/**
 * A Temporal client for the HR API (or any other client process) from the shared Temporal config,
 * with the project's data converter (lifecycle/payload-codec/data-converter.ts): without it the
 * client could neither read the workers' encrypted answers nor keep its own inputs encrypted.
 */
export async function connectTemporalClient(
  config: TemporalConfig,
  dataConverter: DataConverter,
): Promise<{ client: Client; close(): Promise<void> }> {
  const connection = await Connection.connect(temporalConnectionOptions(config));
  return {
    client: new Client({ connection, namespace: config.namespace, dataConverter }),
    close: () => connection.close(),
  };
}
