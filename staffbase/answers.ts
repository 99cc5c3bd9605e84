/**
 * Reading Staffbase's answers, for the client: a status the operation does not accept becomes a
 * classified error, a body becomes validated data, a write's answer becomes the user it shows (or why
 * it shows none), and only managed users leave a single-user method.
 */
import { type z } from 'zod';
import { GONE_STATUSES } from './api-choices';
import { errorFromResponse, malformedBody, notJson } from './classify';
import {
  StaffbaseMalformedResponseError,
  StaffbaseNotFoundError,
  StaffbaseUnmanagedUserError,
} from './errors';
import { type Redactor } from './redaction';
import { type StaffbaseAccount, type StaffbaseUser, isManagedUser } from './schemas';
import { type HttpResponse } from './transport';

export const isSuccess = (status: number) => status >= 200 && status < 300;

/** Throws the classified error of an answer whose status `ok` does not accept. */
export function expectStatus(
  operation: string,
  response: HttpResponse,
  ok: (status: number) => boolean,
  redact: Redactor,
): void {
  if (ok(response.status)) return;
  throw errorFromResponse(
    operation,
    { status: response.status, retryAfter: response.headers['retry-after'], bodyText: response.bodyText },
    redact,
  );
}

/** The answer's JSON body validated by `schema`, after its status was accepted. */
export function parseAnswer<T>(
  operation: string,
  response: HttpResponse,
  schema: z.ZodType<T>,
  redact: Redactor,
  ok: (status: number) => boolean = isSuccess,
): T {
  expectStatus(operation, response, ok, redact);
  let json: unknown;
  try {
    json = JSON.parse(response.bodyText);
  } catch {
    throw notJson(operation, response.status, firstHeader(response.headers['content-type']));
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw malformedBody(operation, response.status, parsed.error);
  return parsed.data;
}

/** An answer to a write that did not show the resulting user. */
export type WriteAnswer = { user: StaffbaseUser } | { why: string };

/**
 * The user a successful write answered with, or why there is none to trust: no body, a body that
 * is not a user, or a user in a status we do not manage (a write never makes one; the read-back decides).
 */
export function readWriteAnswer(
  operation: string,
  response: HttpResponse,
  userSchema: z.ZodType<StaffbaseAccount>,
  redact: Redactor,
): WriteAnswer {
  if (response.bodyText.trim() === '') return { why: `HTTP ${response.status} without a body` };
  try {
    const account = parseAnswer(operation, response, userSchema, redact);
    if (isManagedUser(account)) return { user: account };
    return {
      why: `HTTP ${response.status} with a user in status ${JSON.stringify(account.reportedStatus)}`,
    };
  } catch (error) {
    if (error instanceof StaffbaseMalformedResponseError) {
      return { why: `HTTP ${response.status} with an unreadable body (${error.message})` };
    }
    throw error;
  }
}

/**
 * Only managed users leave a single-user method: a gone status reads like a 404, any other unmanaged
 * status is refused, so no caller can act on an account this project does not own.
 */
export function managed(operation: string, user: StaffbaseAccount): StaffbaseUser {
  if (isManagedUser(user)) return user;
  const status = user.reportedStatus;
  if (GONE_STATUSES.includes(status)) {
    throw new StaffbaseNotFoundError({
      operation,
      summary: `the user is in status ${JSON.stringify(status)}`,
    });
  }
  throw new StaffbaseUnmanagedUserError({
    operation,
    reportedStatus: status,
    summary: `user ${user.id} is in status ${JSON.stringify(status)}, which this project does not manage`,
  });
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
