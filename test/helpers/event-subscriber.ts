/**
 * A real HTTP subscriber of lifecycle events for tests: verifies each request's Standard Webhooks
 * signature with its own secret (as docs/events.md shows a subscriber doing it), answers 503 to its
 * first `failFirst` requests, and records what it accepted in arrival order.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CloudEvent } from '../../lifecycle/lifecycle-event-message';

export interface ReceivedEvent {
  webhookId: string;
  event: CloudEvent;
  body: string;
}

export interface TestEventSubscriber {
  url: string;
  secret: string;
  /** Accepted (2xx) deliveries, in arrival order, duplicates included. */
  accepted: ReceivedEvent[];
  /** Requests answered 503 on purpose. */
  failed: number;
  /** Requests whose signature, timestamp or body did not verify (answered 401). */
  rejected: string[];
  close(): Promise<void>;
}

export function verifyWebhook(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  body: string,
): string | undefined {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signatures !== 'string')
    return 'missing webhook-* headers';
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return 'timestamp too far off';
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  const valid = signatures.split(' ').some((signature) => {
    const [version, value] = signature.split(',');
    const given = Buffer.from(value ?? '', 'base64');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
  return valid ? undefined : 'bad signature';
}

export async function startTestEventSubscriber(options: { failFirst: number }): Promise<TestEventSubscriber> {
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  const accepted: ReceivedEvent[] = [];
  const rejected: string[] = [];
  let requests = 0;
  let failed = 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests += 1;
      if (requests <= options.failFirst) {
        failed += 1;
        response.writeHead(503).end();
        return;
      }
      const body = Buffer.concat(chunks).toString('utf8');
      const problem = verifyWebhook(secret, request.headers, body);
      if (problem) {
        rejected.push(problem);
        response.writeHead(401).end();
        return;
      }
      const event = JSON.parse(body) as CloudEvent;
      accepted.push({ webhookId: String(request.headers['webhook-id']), event, body });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/events`,
    secret,
    accepted,
    get failed() {
      return failed;
    },
    rejected,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
