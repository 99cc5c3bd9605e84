/**
 * What to enter in Studio for Staffbase's outbound webhooks: the events URL (on its own listener when
 * STAFFBASE_EVENTS_PORT is set, else on the HR API) and whether STAFFBASE_WEBHOOK_SECRET is set. The
 * secret's value is only ever read for `--show-webhook-secret`, never put in the report.
 */
import {
  DEFAULT_HTTP_API_HOST,
  DEFAULT_HTTP_API_PORT,
  DEFAULT_STAFFBASE_WEBHOOK_SECRET_HEADER,
  DEFAULT_STAFFBASE_WEBHOOK_SECRET_SCHEME,
} from '../../config/defaults';
import { STAFFBASE_EVENTS_PATH as EVENTS_PATH } from '../../staffbase/events';
import { type WebhookSetup } from './report';

const present = (value: string | undefined) => value !== undefined && value.trim() !== '';

/**
 * `publicBaseUrl` (`--webhook-base-url`): the address Staffbase reaches the service at, e.g. through
 * a proxy; without it the local listener's address is shown, which a proxy usually maps.
 */
export function webhookSetup(env: NodeJS.ProcessEnv, publicBaseUrl?: string): WebhookSetup {
  const secretSet = present(env.STAFFBASE_WEBHOOK_SECRET);
  const header = present(env.STAFFBASE_WEBHOOK_SECRET_HEADER)
    ? String(env.STAFFBASE_WEBHOOK_SECRET_HEADER)
    : DEFAULT_STAFFBASE_WEBHOOK_SECRET_HEADER;
  const scheme =
    env.STAFFBASE_WEBHOOK_SECRET_SCHEME !== undefined
      ? env.STAFFBASE_WEBHOOK_SECRET_SCHEME.trim()
      : DEFAULT_STAFFBASE_WEBHOOK_SECRET_SCHEME;
  const secretHeader = `${header}: ${scheme === '' ? '' : `${scheme} `}<secret>`;
  if (publicBaseUrl !== undefined) {
    return { url: `${publicBaseUrl.replace(/\/+$/, '')}${EVENTS_PATH}`, secretSet, secretHeader };
  }
  const host = present(env.LIFECYCLE_API_HOST) ? String(env.LIFECYCLE_API_HOST) : DEFAULT_HTTP_API_HOST;
  const port = present(env.STAFFBASE_EVENTS_PORT)
    ? String(env.STAFFBASE_EVENTS_PORT)
    : present(env.LIFECYCLE_API_PORT)
      ? String(env.LIFECYCLE_API_PORT)
      : String(DEFAULT_HTTP_API_PORT);
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}${EVENTS_PATH}`,
    secretSet,
    secretHeader,
  };
}

/** The secret, for `--show-webhook-secret` only (people's output, never --json). */
export function webhookSecret(env: NodeJS.ProcessEnv): string | undefined {
  return present(env.STAFFBASE_WEBHOOK_SECRET) ? env.STAFFBASE_WEBHOOK_SECRET : undefined;
}
