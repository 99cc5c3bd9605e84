/**
 * Raw requests for the doctor: it must see status codes, headers and bodies exactly as the tenant
 * sends them, which the client (by design) normalises away. Same transport, headers, User-Agent and
 * token handling as the client; the token never appears in what this returns.
 */
import { type FilterSpaceEncoding, resolveClientConfig } from '../../staffbase/config';
import { createRedactor } from '../../staffbase/redaction';
import { type HttpMethod, StaffbaseTransport } from '../../staffbase/transport';
import { defaultWireFormat } from '../../staffbase/wire-format';

export interface ProbeAnswer {
  status: number;
  contentType: string;
  location: string | undefined;
  bodyText: string;
  /** The parsed body; undefined when empty or not JSON. */
  json: unknown;
  /** Every response header, lower-case names, repeated ones joined with `, `. */
  headers: Record<string, string>;
}

export interface ProbeTarget {
  baseUrl: string;
  token: string;
  requestTimeoutMs: number;
  /** How spaces in query values go on the wire; default `%20`. */
  filterSpaceEncoding?: FilterSpaceEncoding;
}

export class DoctorProbe {
  readonly #transport: StaffbaseTransport;
  readonly userAgent: string;

  constructor(target: ProbeTarget) {
    const resolved = resolveClientConfig(target);
    this.userAgent = resolved.userAgent;
    this.#transport = new StaffbaseTransport(resolved, defaultWireFormat, createRedactor(target.token));
  }

  async send(
    method: HttpMethod,
    path: string,
    options: { query?: Record<string, string | number | undefined>; body?: unknown } = {},
  ): Promise<ProbeAnswer> {
    const response = await this.#transport.send({
      operation: `doctor ${method} ${path}`,
      method,
      path,
      ...options,
    });
    const header = (name: string) => {
      const value = response.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    let json: unknown;
    try {
      json = response.bodyText.trim() === '' ? undefined : JSON.parse(response.bodyText);
    } catch {
      json = undefined;
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    return {
      status: response.status,
      contentType: header('content-type') ?? '',
      location: header('location'),
      bodyText: response.bodyText,
      json,
      headers,
    };
  }

  close(): Promise<void> {
    return this.#transport.close();
  }
}

/** A short description of an answer for the report: status, and Staffbase's message when there is one. */
export function describeAnswer(answer: ProbeAnswer): string {
  const message = (answer.json as { message?: unknown } | undefined)?.message;
  return typeof message === 'string'
    ? `HTTP ${answer.status} "${message.slice(0, 160)}"`
    : `HTTP ${answer.status}`;
}

export function userPath(id: string): string {
  return `/users/${encodeURIComponent(id)}`;
}

/** A user as listed, before any reading. */
export type Listed = Record<string, unknown>;

/** The `data` array of a list answer (objects only), or undefined when there is none. */
export function listOf(json: unknown): Listed[] | undefined {
  const data = (json as { data?: unknown } | undefined)?.data;
  return Array.isArray(data)
    ? (data.filter((item) => typeof item === 'object' && item !== null) as Listed[])
    : undefined;
}
