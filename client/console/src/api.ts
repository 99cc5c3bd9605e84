/**
 * The console's only way to the service: the public /v1 routes of the HR API, with the session's
 * key, exactly as an HR system calls them. Every answer that is not 2xx becomes an {@link ApiFailure}
 * carrying the API's own message, refusal reason and field problems, for the page to show.
 */
import { apiKey, signOut } from './session';

export interface FieldProblem {
  field: string;
  message: string;
}

export class ApiFailure extends Error {
  override readonly name = 'ApiFailure';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly problems: FieldProblem[] = [],
    readonly reason?: string,
  ) {
    super(message);
  }
}

interface ErrorBody {
  error?: string;
  message?: string;
  problems?: FieldProblem[];
  reason?: string;
}

export interface ApiAnswer<T> {
  status: number;
  body: T;
}

/** One call; `key` overrides the session's (the sign-in form tries a key before keeping it). */
export async function call<T>(
  method: 'GET' | 'POST',
  path: string,
  options: { body?: unknown; key?: string | null } = {},
): Promise<ApiAnswer<T>> {
  const key = options.key === undefined ? apiKey() : (options.key ?? undefined);
  const headers: Record<string, string> = { accept: 'application/json', 'x-requested-by': 'hr-console' };
  if (key) headers.authorization = `Bearer ${key}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      // Same origin only; the key travels in the header, never in a cookie.
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch {
    throw new ApiFailure(0, 'network', 'The HR API cannot be reached. Is the service running?');
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (response.status === 401 && options.key === undefined) {
    // The session's key stopped working (the service got new keys): ask for one again.
    signOut();
    location.reload();
  }
  if (!response.ok) {
    const error = (body ?? {}) as ErrorBody;
    throw new ApiFailure(
      response.status,
      error.error ?? 'http',
      error.message ?? `The HR API answered ${response.status}.`,
      error.problems ?? [],
      error.reason,
    );
  }
  return { status: response.status, body: body as T };
}

/** A download (a report's CSV): the body as text, with the session's key. */
export async function getText(path: string, accept: string): Promise<string> {
  const key = apiKey();
  const headers: Record<string, string> = { accept, 'x-requested-by': 'hr-console' };
  if (key) headers.authorization = `Bearer ${key}`;
  let response: Response;
  try {
    response = await fetch(path, { headers, credentials: 'omit', cache: 'no-store' });
  } catch {
    throw new ApiFailure(0, 'network', 'The HR API cannot be reached. Is the service running?');
  }
  if (!response.ok) throw new ApiFailure(response.status, 'http', `The HR API answered ${response.status}.`);
  return response.text();
}

export const get = async <T>(path: string): Promise<T> => (await call<T>('GET', path)).body;

export const post = <T>(path: string, body?: unknown): Promise<ApiAnswer<T>> =>
  call<T>('POST', path, { body: body ?? {} });

/** `encodeURIComponent` for path segments (externalIDs may hold anything but control characters). */
export const segment = (value: string): string => encodeURIComponent(value);
