/**
 * Writes the HR console's API types (client/console/src/api-types.ts) from the OpenAPI document the
 * HR API serves (client/http/openapi.ts), so the console reads exactly what the API promises and the
 * two cannot drift. The file is generated, never checked in (.gitignore): npm ci's `prepare` writes it
 * for editors, and `npm test` writes it again before lint and the console's typecheck
 * (test/console/typecheck.test.ts), so a response schema the console misreads fails the tests.
 * A small generator for the JSON Schema the response schemas use (object, array, string, integer,
 * boolean, enum, const, $ref, allOf); any other keyword stops it, rather than typing a field wrongly.
 * `npm run console:types` after changing a response schema, to see it in an editor.
 */
import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { format, resolveConfig } from 'prettier';
import { apiRoutes } from '../client/http/app';
import { openApiDocument } from '../client/http/openapi';

type Schema = Record<string, unknown>;

export const consoleApiTypesPath = path.resolve(__dirname, '..', 'client', 'console', 'src', 'api-types.ts');

/** The answers the console reads; the schemas they refer to come along. */
export const consoleSchemaNames = [
  'Lifecycle',
  'RunList',
  'PersonState',
  'AttentionActionResult',
  'PersonRetryResult',
  'BulkRetryResult',
  'BulkState',
  'BulkRunList',
  'PeoplePage',
  'Report',
  'ParkedLifecycleEvents',
  'LifecycleEventRetryResult',
  'ReconciliationList',
  'ReconciliationPlan',
  'ReconciliationPlanPage',
];

/** Keywords that say nothing about a value's type. */
const annotations = new Set([
  'description',
  'format',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
]);
const understood = new Set([
  ...annotations,
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'enum',
  'const',
  '$ref',
  'allOf',
]);

const refName = (ref: string) => ref.replace('#/components/schemas/', '');
const literal = (value: unknown) => JSON.stringify(value).replace(/"/g, "'");
const comment = (schema: Schema) =>
  typeof schema.description === 'string' ? `/** ${schema.description.replace(/\*\//g, '*\\/')} */\n` : '';

/** The TypeScript type of a schema, with the names of the components it refers to added to `refs`. */
function typeOf(schema: Schema, refs: Set<string>, where: string): string {
  for (const key of Object.keys(schema)) {
    if (!understood.has(key))
      throw new Error(`${where}: the keyword "${key}" is not supported by this generator`);
  }
  if (typeof schema.$ref === 'string') {
    refs.add(refName(schema.$ref));
    return refName(schema.$ref);
  }
  if (Array.isArray(schema.allOf)) {
    return schema.allOf
      .map((part, index) => typeOf(part as Schema, refs, `${where}.allOf[${index}]`))
      .join(' & ');
  }
  if ('const' in schema) return literal(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.map(literal).join(' | ');
  // `type: ['string', 'null']`: a value that may be null.
  if (Array.isArray(schema.type)) {
    return schema.type
      .map((type: unknown) => (type === 'null' ? 'null' : typeOf({ ...schema, type }, refs, where)))
      .join(' | ');
  }
  switch (schema.type) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array': {
      const item = typeOf((schema.items ?? {}) as Schema, refs, `${where}[]`);
      return /[|&]/.test(item) ? `(${item})[]` : `${item}[]`;
    }
    case 'object':
      return objectType(schema, refs, where);
    case undefined:
      return 'unknown';
    default:
      throw new Error(`${where}: the type "${String(schema.type)}" is not supported by this generator`);
  }
}

function objectType(schema: Schema, refs: Set<string>, where: string): string {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const required = new Set((schema.required ?? []) as string[]);
  const members = Object.entries(properties).map(
    ([name, property]) =>
      `${comment(property)}${name}${required.has(name) ? '' : '?'}: ${typeOf(property, refs, `${where}.${name}`)};`,
  );
  // An open object is typed by its known fields (TypeScript's object types are open anyway), one without
  // any as `object`: an index signature would stop `'field' in value` from telling the statuses apart.
  const extra = schema.additionalProperties;
  if (typeof extra === 'object' && extra !== null) {
    const value = typeOf(extra as Schema, refs, `${where}[key]`);
    if (members.length === 0) return `Record<string, ${value}>`;
    members.push(`[key: string]: ${value};`);
  } else if (extra === true && members.length === 0) return 'object';
  return `{\n${members.join('\n')}\n}`;
}

/** The file's text (before formatting): each named schema and those it refers to, in a stable order. */
export function consoleApiTypesSource(
  document: Schema,
  names: readonly string[] = consoleSchemaNames,
): string {
  const schemas = ((document.components as Schema | undefined)?.schemas ?? {}) as Record<string, Schema>;
  const pending = [...names];
  const done = new Map<string, string>();
  while (pending.length > 0) {
    const name = pending.shift() as string;
    if (done.has(name)) continue;
    const schema = schemas[name];
    if (!schema) throw new Error(`The OpenAPI document has no schema "${name}"`);
    const refs = new Set<string>();
    const type = typeOf(schema, refs, name);
    done.set(
      name,
      type.startsWith('{\n')
        ? `${comment(schema)}export interface ${name} ${type}`
        : `${comment(schema)}export type ${name} = ${type};`,
    );
    pending.push(...[...refs].filter((ref) => !done.has(ref)));
  }
  const declarations = [...done.keys()].sort().map((name) => done.get(name) as string);
  const header = [
    '/**',
    ' * The answers of the HR API the console reads, generated from its OpenAPI document by',
    ' * tooling/console-api-types.ts: do not edit; change the response schemas (client/http/openapi-*.ts)',
    ' * and run `npm run console:types`. Not checked in: npm ci and npm test write it.',
    ' */',
  ].join('\n');
  return [header, ...declarations].join('\n\n');
}

/** The formatted file. */
export async function consoleApiTypes(): Promise<string> {
  const source = consoleApiTypesSource(openApiDocument(apiRoutes));
  const options = await resolveConfig(consoleApiTypesPath);
  return format(source, { ...options, filepath: consoleApiTypesPath });
}

/** Writes the file where the console imports it from (whole or not at all: a reader never sees half). */
export async function writeConsoleApiTypes(): Promise<void> {
  const partial = `${consoleApiTypesPath}.${process.pid}.tmp`;
  writeFileSync(partial, await consoleApiTypes());
  renameSync(partial, consoleApiTypesPath);
}

if (require.main === module) {
  writeConsoleApiTypes().then(
    () => console.log(`wrote ${path.relative(process.cwd(), consoleApiTypesPath)}`),
    (error: unknown) => {
      console.error('console-api-types failed:', error);
      process.exitCode = 1;
    },
  );
}
