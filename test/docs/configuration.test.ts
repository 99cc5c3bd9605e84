/**
 * docs/configuration.md lists every variable of `.env.example` (and no other), so a variable added to
 * one cannot go unexplained in the other.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const root = path.resolve(__dirname, '..', '..');

/** Variables set or shown commented out (`# NAME=value`) in .env.example. */
function envExampleVariables(): Set<string> {
  const text = readFileSync(path.join(root, '.env.example'), 'utf8');
  return new Set([...text.matchAll(/^(?:#\s?)?([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1] ?? ''));
}

/** Variables named in the first column of docs/configuration.md's tables. */
function documentedVariables(): Set<string> {
  const text = readFileSync(path.join(root, 'docs', 'configuration.md'), 'utf8');
  return new Set([...text.matchAll(/^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|/gm)].map((match) => match[1] ?? ''));
}

describe('docs/configuration.md', () => {
  it('lists exactly the variables of .env.example', () => {
    const example = envExampleVariables();
    const documented = documentedVariables();
    assert.ok(example.size > 50, `read only ${example.size} variables from .env.example`);
    assert.deepEqual(
      [...example].filter((name) => !documented.has(name)),
      [],
      'in .env.example but not in docs/configuration.md',
    );
    assert.deepEqual(
      [...documented].filter((name) => !example.has(name)),
      [],
      'in docs/configuration.md but not in .env.example',
    );
  });
});
