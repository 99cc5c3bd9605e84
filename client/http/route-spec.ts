/**
 * Every route is declared once, as data: method, path, the zod schemas of its body and query, its
 * responses and its handler. `app.ts` registers these with Fastify and `openapi.ts` writes the
 * OpenAPI document from the same list, so the document cannot drift from what the server does.
 */
import { type Client } from '@temporalio/client';
import { type PayloadCodec } from '@temporalio/common';
import { type z } from 'zod';
import { externalIdSchema } from '../../lifecycle/field-rules';
import { type LifecyclePolicies } from '../../config/policies';
import { type ImportLimits } from '../../config/import-limits';
import { type FieldProblem, fieldProblems } from '../../lifecycle/validation';
import { type Lifecycle, lifecycleWorkflowId } from '../../lifecycle/workflow-ids';
import { type AuditRecord, type AuditSink } from '../../lifecycle/audit/audit-record';
import { type RequestedBy, type RouteAccess } from './auth';
import { type ConsoleOptions } from './console-assets';
import { ApiError } from './errors';
import { type ApiLogger } from './logger';
import { type StaffbaseEventCounts } from './staffbase-events';
import { type WebhookSecretSettings } from '../../staffbase/events';
import { type LifecycleStore } from '../../store';

/** What the HTTP API is built from; `startHttpApi` and tests inject these. */
export interface HttpApiDeps {
  temporalClient: Client;
  /**
   * The project's own store (store/): the person index behind `GET /v1/people`, and the audit trail:
   * each audit record also becomes a row, written before the act answers (a row that cannot be written:
   * 503 `audit_unavailable`); `GET /v1/audit` reads it. Opened once per process by whoever builds the
   * deps (client/http/main.ts, tooling/stack.ts) and closed by it at shutdown.
   */
  store: LifecycleStore;
  /** Copied into each run's input at its start (from `policiesFromEnv`). */
  policies: LifecyclePolicies;
  /** IMPORT_MAX_ROWS, IMPORT_MAX_FILE_MB for the import dry run; default: their defaults. */
  importLimits?: ImportLimits;
  /** The HR systems' key: lifecycle routes. Required unless `devMode` is true; compared in constant time. */
  apiKey?: string;
  /** The support key: every route, including `access: 'admin'` ones. Unset: those answer 403 (dev mode: open). */
  adminApiKey?: string;
  /**
   * The payload codecs of the Temporal client (the encryption codec), served to the Temporal UI at
   * `/codec/decode` and `/codec/encode`. Empty or unset: the codec routes pass payloads through.
   */
  payloadCodecs?: PayloadCodec[];
  /** The one browser origin (the Temporal UI) allowed to call the codec routes (CORS). */
  codecCorsOrigin?: string;
  /** Where the audit lines of acts on people and mass actions go; default: the logger, as `audit` lines. */
  audit?: AuditSink;
  /**
   * LIFECYCLE_TRUSTED_USER_HEADER: the header the SSO proxy names the operator in (e.g. `X-Forwarded-User`).
   * Set: a keyed request without it is a 401, and it is the audit's `requestedBy`.
   */
  trustedUserHeader?: string;
  /** true allows running without a key (the app warns loudly). */
  devMode?: boolean;
  /** Largest request body in bytes (413 above it); default 64 KiB. */
  bodyLimit?: number;
  /**
   * How long one request may wait on Temporal (a query or an update needs a worker to answer);
   * default 30 s, then 504.
   */
  temporalTimeoutMs?: number;
  /** Default: silent. */
  logger?: ApiLogger;
  /** The HR console at `/`: where its built assets are, and the Temporal UI it links to. */
  console?: ConsoleOptions;
  /**
   * Staffbase's webhooks (`POST /v1/staffbase/events`, client/http/staffbase-events.ts), served on this
   * app; unset (no STAFFBASE_WEBHOOK_SECRET, or served on STAFFBASE_EVENTS_PORT instead): 404 here.
   */
  staffbaseEvents?: { webhook: WebhookSecretSettings; counts?: StaffbaseEventCounts };
}

export interface RouteContext {
  params: Record<string, string | undefined>;
  query: unknown;
  body: unknown;
  deps: Required<
    Pick<
      HttpApiDeps,
      'temporalClient' | 'store' | 'policies' | 'temporalTimeoutMs' | 'payloadCodecs' | 'importLimits'
    >
  >;
  /** Who asked: the key used, the trusted user (if configured) and `X-Requested-By`. */
  caller: RequestedBy;
  /** The request's `Accept` header (a route that can answer CSV reads it). */
  accept?: string | undefined;
  /**
   * Writes one audit line (with who asked and when filled in) and counts it; with a store, also its
   * row, which the app awaits before the request answers.
   */
  audit: (record: Omit<AuditRecord, 'via' | 'requestedBy' | 'claimedBy' | 'at'>) => void;
  /** The OpenAPI document (for the route that serves it). */
  openApiDocument: () => unknown;
}

export interface RouteResult {
  statusCode: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface RouteResponse {
  description: string;
  /** Name of a schema in the document's components (see openapi.ts). */
  schema?: string;
  /** Also answers `text/csv` (the same figures as a download). */
  csv?: boolean;
}

export interface ApiRoute {
  method: 'GET' | 'POST';
  /** OpenAPI path template, e.g. `/v1/people/{externalID}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: 'health' | 'onboarding' | 'offboarding' | 'leave' | 'people' | 'support' | 'audit' | 'codec' | 'meta';
  /** No Authorization needed (only `GET /health`). */
  public?: boolean;
  /** `admin`: only the support key (LIFECYCLE_ADMIN_API_KEY). Default: the HR systems' key or the support key. */
  access?: Exclude<RouteAccess, 'public'>;
  body?: {
    schema: z.ZodType;
    /** Component name in the OpenAPI document. */
    component: string;
    /** false: an empty body counts as `{}`. */
    required: boolean;
  };
  query?: z.ZodObject;
  /**
   * Largest body of this route, when it differs from the API's (the codec routes carry history pages;
   * the import dry run follows IMPORT_MAX_FILE_MB).
   */
  bodyLimit?: number | ((deps: RouteContext['deps']) => number);
  /** The answer to a body over `bodyLimit`, when it should name a limit of its own (default: a plain 413). */
  bodyTooLarge?: (deps: RouteContext['deps']) => ApiError;
  responses: Record<number, RouteResponse>;
  handle(context: RouteContext): Promise<RouteResult>;
}

/** What a route needs: no key, the HR systems' key (or the support key), or the support key. */
export function routeAccess(route: Pick<ApiRoute, 'public' | 'access'>): RouteAccess {
  return route.public ? 'public' : (route.access ?? 'lifecycle');
}

/** `/v1/people/{externalID}` → `/v1/people/:externalID` (Fastify's syntax). */
export function fastifyPath(path: string): string {
  return path.replace(/\{([^}]+)\}/g, ':$1');
}

/**
 * `fieldProblems`, with one message made readable: a bad key of a record (e.g. a profile field name)
 * says what is wrong with the key instead of zod's generic "Invalid key in record".
 */
function readableProblems(error: z.ZodError): FieldProblem[] {
  return fieldProblems(error).map((problem, index) => {
    const issue = error.issues[index];
    const inner = issue?.code === 'invalid_key' ? issue.issues[0]?.message : undefined;
    return inner ? { ...problem, message: inner } : problem;
  });
}

/** Checks every part of a request at once, so one 400 lists every bad field of path, query and body. */
export function parseRequest<Q extends z.ZodType | undefined, B extends z.ZodType | undefined>(parts: {
  externalID?: string | undefined;
  query?: [Q, unknown];
  body?: [B, unknown];
}): {
  externalID: string;
  query: Q extends z.ZodType ? z.output<Q> : undefined;
  body: B extends z.ZodType ? z.output<B> : undefined;
} {
  const problems: FieldProblem[] = [];
  const parse = (schema: z.ZodType | undefined, input: unknown): unknown => {
    if (!schema) return undefined;
    const result = schema.safeParse(input);
    if (result.success) return result.data;
    problems.push(...readableProblems(result.error));
    return undefined;
  };
  let externalID = '';
  if ('externalID' in parts) {
    const result = externalIdSchema.safeParse(parts.externalID);
    if (result.success) externalID = result.data;
    else
      problems.push(
        ...readableProblems(result.error).map((problem) => ({ ...problem, field: 'externalID' })),
      );
  }
  const query = parts.query ? parse(parts.query[0], parts.query[1] ?? {}) : undefined;
  const body = parts.body ? parse(parts.body[0], parts.body[1]) : undefined;
  if (problems.length > 0) throw ApiError.invalid(problems);
  return { externalID, query, body } as ReturnType<typeof parseRequest<Q, B>>;
}

/** Where HR follows and acts on one person's runs. */
export function linksFor(lifecycle: Lifecycle, externalID: string): Record<string, string> {
  const id = encodeURIComponent(externalID);
  const person = `/v1/people/${id}`;
  if (lifecycle === 'onboarding') {
    return {
      person,
      activated: `/v1/onboardings/${id}/activated`,
      cancel: `/v1/onboardings/${id}/cancel`,
      startDate: `/v1/onboardings/${id}/start-date`,
      correction: `/v1/onboardings/${id}/correction`,
      retry: `${person}/retry`,
    };
  }
  return {
    person,
    cancel: `/v1/offboardings/${id}/cancel`,
    deleteNow: `/v1/offboardings/${id}/delete-now`,
    legalHold: `/v1/offboardings/${id}/legal-hold`,
    releaseLegalHold: `/v1/offboardings/${id}/legal-hold/release`,
    retention: `/v1/offboardings/${id}/retention`,
    retry: `${person}/retry`,
  };
}

export function runReference(lifecycle: Lifecycle, externalID: string) {
  return { lifecycle, externalID, workflowId: lifecycleWorkflowId(lifecycle, externalID) };
}
