/**
 * The console's API types are generated from the OpenAPI document the HR API serves
 * (tooling/console-api-types.ts): regenerating them must give the checked-in file byte for byte, so a
 * response schema and the console cannot drift apart. And the generator types only what it understands.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { consoleApiTypes, consoleApiTypesPath, consoleApiTypesSource } from '../../tooling/console-api-types';

describe('console API types', () => {
  it('are what the OpenAPI document gives (run `npx tsx tooling/console-api-types.ts` when not)', async () => {
    assert.equal(await consoleApiTypes(), readFileSync(consoleApiTypesPath, 'utf8'));
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

  it('stops at a keyword it does not understand, or a schema the document lacks', () => {
    assert.throws(
      () => consoleApiTypesSource(documentOf({ Odd: { anyOf: [{ type: 'string' }] } }), ['Odd']),
      /Odd: the keyword "anyOf" is not supported/,
    );
    assert.throws(() => consoleApiTypesSource(documentOf({}), ['Missing']), /no schema "Missing"/);
  });
});
