/**
 * The one HTTP connection pool to a Staffbase platform. Sends a request, reads the whole body, and
 * returns status + body whatever the status; only failures without a response throw (as transient).
 */
import { type IncomingHttpHeaders } from 'node:http';
import { Agent, request } from 'undici';
import { errorFromTransport } from './classify';
import { type ResolvedStaffbaseClientConfig } from './config';
import { type Redactor } from './redaction';
import { type WireFormat } from './wire-format';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface HttpRequest {
  /** The client method, for error messages. */
  operation: string;
  method: HttpMethod;
  /** Relative to the base URL, already encoded, e.g. `/users/abc`. */
  path: string;
  query?: Record<string, string | number | undefined>;
  /** JSON-serialised when present. */
  body?: unknown;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  bodyText: string;
}

export class StaffbaseTransport {
  readonly #agent: Agent;
  readonly #baseUrl: string;
  readonly #redact: Redactor;
  readonly #wire: WireFormat;
  // Private (#) so neither the token nor the headers show up when the client is logged or inspected.
  readonly #headers: Record<string, string>;

  constructor(config: ResolvedStaffbaseClientConfig, wire: WireFormat, redact: Redactor) {
    this.#baseUrl = config.baseUrl;
    this.#wire = wire;
    this.#redact = redact;
    this.#headers = {
      authorization: `Basic ${config.token}`, // already base64: never encoded again
      accept: wire.accept,
      'user-agent': config.userAgent,
    };
    this.#agent = new Agent({
      connections: config.connections ?? null,
      connectTimeout: config.requestTimeoutMs,
      headersTimeout: config.requestTimeoutMs,
      bodyTimeout: config.requestTimeoutMs,
    });
  }

  async send(req: HttpRequest): Promise<HttpResponse> {
    const url = new URL(this.#baseUrl + req.path);
    for (const [name, value] of Object.entries(req.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    const hasBody = req.body !== undefined;
    try {
      const response = await request(url, {
        dispatcher: this.#agent,
        method: req.method,
        headers: hasBody ? { ...this.#headers, 'content-type': this.#wire.contentType } : this.#headers,
        body: hasBody ? JSON.stringify(req.body) : undefined,
      });
      // Always read the body to the end: an unread body keeps the pooled connection busy.
      const bodyText = await response.body.text();
      return { status: response.statusCode, headers: response.headers, bodyText };
    } catch (error) {
      throw errorFromTransport(req.operation, error, this.#redact);
    }
  }

  async close(): Promise<void> {
    await this.#agent.close();
  }
}
