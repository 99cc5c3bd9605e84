/**
 * The one HTTP connection pool to a Staffbase platform. Sends a request, reads the whole body (up to
 * `maxResponseBytes`), and returns status + body whatever the status; failures without a response
 * throw (as transient), a body over the cap as {@link StaffbaseResponseTooLargeError}.
 */
import { type IncomingHttpHeaders } from 'node:http';
import { Agent, type Dispatcher, request } from 'undici';
import { errorFromTransport } from './classify';
import { StaffbaseResponseTooLargeError } from './errors';
import { type ResolvedStaffbaseClientConfig } from './config';
import { type Redactor } from './redaction';
import { type WireFormat } from './wire-format';
import { encodeQueryValue } from './api-choices';

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
  readonly #maxResponseBytes: number;
  readonly #spaceEncoding: ResolvedStaffbaseClientConfig['filterSpaceEncoding'];
  // Private (#) so neither the token nor the headers show up when the client is logged or inspected.
  readonly #headers: Record<string, string>;

  constructor(config: ResolvedStaffbaseClientConfig, wire: WireFormat, redact: Redactor) {
    this.#baseUrl = config.baseUrl;
    this.#wire = wire;
    this.#redact = redact;
    this.#maxResponseBytes = config.maxResponseBytes;
    this.#spaceEncoding = config.filterSpaceEncoding;
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
    const url = this.#baseUrl + req.path + encodeQuery(req.query, this.#spaceEncoding);
    const hasBody = req.body !== undefined;
    let answer: { status: number; headers: IncomingHttpHeaders; body: Buffer | 'too-large' };
    try {
      const response = await request(url, {
        dispatcher: this.#agent,
        method: req.method,
        headers: hasBody ? { ...this.#headers, 'content-type': this.#wire.contentType } : this.#headers,
        body: hasBody ? JSON.stringify(req.body) : undefined,
      });
      answer = {
        status: response.statusCode,
        headers: response.headers,
        body: await this.#readCapped(response.body, response.headers['content-length']),
      };
    } catch (error) {
      throw errorFromTransport(req.operation, error, this.#redact);
    }
    if (answer.body === 'too-large') {
      throw new StaffbaseResponseTooLargeError({
        operation: req.operation,
        status: answer.status,
        summary: `response body larger than ${this.#maxResponseBytes} bytes, refused unread`,
        limitBytes: this.#maxResponseBytes,
      });
    }
    // As undici's body.text(): UTF-8, a leading BOM dropped.
    return {
      status: answer.status,
      headers: answer.headers,
      bodyText: new TextDecoder().decode(answer.body),
    };
  }

  /**
   * The whole body, or 'too-large' as soon as it (or its Content-Length) passes the cap; the rest is
   * not read, and the connection is closed rather than drained.
   */
  async #readCapped(body: Dispatcher.ResponseData['body'], contentLength: string | string[] | undefined) {
    const declared = Number(Array.isArray(contentLength) ? contentLength[0] : contentLength);
    if (Number.isFinite(declared) && declared > this.#maxResponseBytes) {
      body.destroy();
      return 'too-large' as const;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      const buffer = chunk as Buffer;
      size += buffer.length;
      if (size > this.#maxResponseBytes) {
        body.destroy();
        return 'too-large' as const;
      }
      chunks.push(buffer);
    }
    return Buffer.concat(chunks);
  }

  async close(): Promise<void> {
    await this.#agent.close();
  }
}

/** `?a=1&b=…` with every value encoded as the reference shows (space `%20` unless configured `+`); '' for none. */
export function encodeQuery(
  query: HttpRequest['query'],
  spaceEncoding: ResolvedStaffbaseClientConfig['filterSpaceEncoding'] = '%20',
): string {
  const pairs = Object.entries(query ?? {})
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(
      ([name, value]) =>
        `${encodeQueryValue(name, spaceEncoding)}=${encodeQueryValue(String(value), spaceEncoding)}`,
    );
  return pairs.length === 0 ? '' : `?${pairs.join('&')}`;
}
