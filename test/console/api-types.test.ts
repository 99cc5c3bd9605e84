/**
 * The console's API types are generated from the OpenAPI document the HR API serves
 * (tooling/console-api-types.ts), never checked in; test/console/typecheck.test.ts typechecks the
 * console against them. Here: they declare every answer the console reads, and the generator types
 * only what it understands.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { consoleApiTypes, consoleApiTypesSource, consoleSchemaNames } from '../../tooling/console-api-types';

describe('console API types', () => {
  it('declare every answer the console reads, once, from the OpenAPI document', async () => {
    const source = await consoleApiTypes();
    for (const name of consoleSchemaNames) {
      const declarations = source.match(new RegExp(`^export (interface|type) ${name}\\b`, 'gm')) ?? [];
      assert.equal(declarations.length, 1, `${name} declared ${declarations.length} times`);
    }
  });

  const documentOf = (schemas: Record<string, unknown>) => ({ components: { schemas } });

  it('types objects, enums, arrays, references and allOf, with the referred schemas brought along', () => {
    const source = consoleApiTypesSource(
      documentOf({
        Run: {
          allOf: [
            { $ref: '#/components/schemas/Base' },
            { type: 'object', properties: { tags: { type: 'array', items: { enum: ['a', 'b'] } } } },
          ],
        },
        Base: {
          type: 'object',
          required: ['id'],
          properties: { id: { type: 'string', description: 'The id.' }, count: { type: 'integer' } },
        },
      }),
      ['Run'],
    );
    assert.match(source, /export interface Base \{\n\/\*\* The id\. \*\/\nid: string;\ncount\?: number;\n\}/);
    assert.match(source, /export type Run = Base & \{\ntags\?: \('a' \| 'b'\)\[\];\n\};/);
  });

  it('types a value that may be null (`type: [..., "null"]`) as a union with null', () => {
    const source = consoleApiTypesSource(
      documentOf({
        Person: {
          type: 'object',
          required: ['name'],
          properties: { name: { type: ['string', 'null'] }, count: { type: ['integer', 'null'] } },
        },
      }),
      ['Person'],
    );
    assert.match(source, /export interface Person \{\nname: string \| null;\ncount\?: number \| null;\n\}/);
  });

  it('stops at a keyword it does not understand, or a schema the document lacks', () => {
    assert.throws(
      () => consoleApiTypesSource(documentOf({ Odd: { anyOf: [{ type: 'string' }] } }), ['Odd']),
      /Odd: the keyword "anyOf" is not supported/,
    );
    assert.throws(() => consoleApiTypesSource(documentOf({}), ['Missing']), /no schema "Missing"/);
  });
});
