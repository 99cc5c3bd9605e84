/**
 * The OpenAPI 3.1 document, written from the route table: request bodies and query parameters come
 * from the same zod schemas the routes validate with (`z.toJSONSchema`, JSON Schema 2020-12, which
 * OpenAPI 3.1 uses as is); responses are described by the schemas in `openapi-responses.ts`.
 */
import { z } from 'zod';
import { externalIdSchema } from '../../lifecycle/field-rules';
import { type JsonSchema, ref, responseSchemas } from './openapi-responses';
import { runSchemas } from './openapi-run-schemas';
import { reconcileSchemas } from './openapi-reconcile-schemas';
import { storeSchemas } from './openapi-store-schemas';
import { type ApiRoute, routeAccess } from './route-spec';

/** zod → JSON Schema of what a client sends (`io: 'input'`), without the `$schema` marker. */
export function inputJsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return json;
}

const jsonContent = (schema: JsonSchema) => ({ 'application/json': { schema } });

const commonResponses = (route: ApiRoute) => ({
  ...(!route.public && {
    401: {
      description: 'Missing or wrong API key (`error: unauthorized`).',
      headers: { 'WWW-Authenticate': { schema: { type: 'string' } } },
      content: jsonContent(ref('Error')),
    },
  }),
  ...(routeAccess(route) === 'admin' && {
    403: {
      description: 'The HR systems’ key (LIFECYCLE_API_KEY) may not use this route (`error: forbidden`).',
      content: jsonContent(ref('Error')),
    },
  }),
  ...(route.body && {
    413: { description: 'Body larger than the limit.', content: jsonContent(ref('Error')) },
    415: { description: 'Body not sent as application/json.', content: jsonContent(ref('Error')) },
  }),
  ...(route.operationId !== 'openApiDocument' &&
    !route.public && {
      503: {
        description: 'Temporal unreachable (`error: temporal_unavailable`).',
        content: jsonContent(ref('Error')),
      },
    }),
});

function securityOf(route: ApiRoute): Record<string, string[]>[] {
  const access = routeAccess(route);
  if (access === 'public') return [];
  return access === 'admin' ? [{ adminKey: [] }] : [{ lifecycleKey: [] }, { adminKey: [] }];
}

const pathParameterDescriptions: Record<string, string> = {
  externalID: "The person's externalID (URL-encoded), as given when the run started.",
  groupId: 'The Staffbase group id.',
  name: 'The report: activation-funnel, time-to-activate, leaver-timeliness, needs-attention or reconciliation-drift.',
  workflowId: "The bulk run's workflow id, as returned when it started (population-logout-… or cleanup-…).",
};

function parametersOf(route: ApiRoute): JsonSchema[] {
  const parameters: JsonSchema[] = [];
  for (const [, name] of route.path.matchAll(/\{([^}]+)\}/g)) {
    parameters.push({
      name,
      in: 'path',
      required: true,
      description: pathParameterDescriptions[name ?? ''] ?? name,
      schema: name === 'externalID' ? inputJsonSchema(externalIdSchema) : { type: 'string', minLength: 1 },
    });
  }
  if (route.query) {
    const query = inputJsonSchema(route.query) as {
      properties?: Record<string, JsonSchema>;
      required?: string[];
    };
    for (const [name, schema] of Object.entries(query.properties ?? {})) {
      parameters.push({ name, in: 'query', required: query.required?.includes(name) ?? false, schema });
    }
  }
  return parameters;
}

export interface OpenApiOptions {
  version?: string;
  serverUrl?: string;
}

/** The whole document for `routes`. */
export function openApiDocument(routes: readonly ApiRoute[], options: OpenApiOptions = {}): JsonSchema {
  const schemas: Record<string, JsonSchema> = {};
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    if (route.body) schemas[route.body.component] ??= inputJsonSchema(route.body.schema);
    const responses: Record<string, unknown> = {};
    for (const [code, response] of Object.entries(route.responses)) {
      responses[code] = {
        description: response.description,
        ...(response.schema && {
          content: {
            ...jsonContent(ref(response.schema)),
            ...(response.csv && { 'text/csv': { schema: { type: 'string' } } }),
          },
        }),
      };
    }
    for (const [code, response] of Object.entries(commonResponses(route))) responses[code] ??= response;
    const parameters = parametersOf(route);
    (paths[route.path] ??= {})[route.method.toLowerCase()] = {
      operationId: route.operationId,
      summary: route.summary,
      ...(route.description && { description: route.description }),
      tags: [route.tag],
      // Which key a route needs, machine-readable (security) and at a glance (x-required-key).
      security: securityOf(route),
      'x-required-key': route.public ? 'none' : routeAccess(route) === 'admin' ? 'admin' : 'lifecycle',
      ...(parameters.length > 0 && { parameters }),
      ...(route.body && {
        requestBody: {
          required: route.body.required,
          content: jsonContent(ref(route.body.component)),
        },
      }),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'staffbase-lifecycle HR API',
      version: options.version ?? '1',
      description:
        'HR systems start, follow and cancel the onboarding and offboarding of Staffbase users. Every route ' +
        'but `GET /health` needs a key as `Authorization: Bearer <key>`: the lifecycle routes take ' +
        '`LIFECYCLE_API_KEY` (HR systems) or `LIFECYCLE_ADMIN_API_KEY` (support); support and bulk routes, ' +
        'delete-now, a shorter retention, confirmations and the codec endpoint take only ' +
        '`LIFECYCLE_ADMIN_API_KEY` (`x-required-key: admin`). `X-Requested-By` says who asks (self-asserted: ' +
        'the audit log keeps it as `claimedBy`); behind an SSO proxy, the header named by ' +
        '`LIFECYCLE_TRUSTED_USER_HEADER` is required (401 without it) and is who asked. Bodies are JSON; unknown fields ' +
        'are rejected, and a 400 lists every bad field in `problems`. Starting is idempotent per externalID.',
    },
    ...(options.serverUrl && { servers: [{ url: options.serverUrl }] }),
    security: [{ lifecycleKey: [] }, { adminKey: [] }],
    tags: [
      {
        name: 'onboarding',
        description:
          'New hires: start, report activation, cancel, move the start date, correct a run in needs-attention.',
      },
      { name: 'offboarding', description: 'Leavers: start, cancel, legal hold, retention, delete now.' },
      { name: 'leave', description: 'Leaves of absence: start, move the first day back, end now, cancel.' },
      {
        name: 'people',
        description:
          'Find anyone in the person index (search, filters, counts), follow one person or runs by stage; retry a run waiting in needs-attention.',
      },
      { name: 'support', description: 'Support operations between joining and leaving.' },
      {
        name: 'audit',
        description: 'The hash-chained audit trail: every act, who, when and why (support key).',
      },
      { name: 'health', description: 'Liveness.' },
      { name: 'codec', description: 'Remote codec for the Temporal UI: decrypts and encrypts payloads.' },
      { name: 'meta', description: 'This document.' },
    ].filter((tag) => routes.some((route) => route.tag === tag.name)),
    paths,
    components: {
      schemas: { ...schemas, ...responseSchemas, ...runSchemas, ...storeSchemas, ...reconcileSchemas },
      securitySchemes: {
        lifecycleKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'The value of LIFECYCLE_API_KEY (HR systems): lifecycle routes.',
        },
        adminKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'The value of LIFECYCLE_ADMIN_API_KEY (support): every route.',
        },
      },
    },
  };
}
