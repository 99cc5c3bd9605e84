import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { patchRegister, sharedPatchIdsBeforeRegister } from '../../workflows/patches';

const workflowsDir = path.resolve(__dirname, '..', '..', 'workflows');
const sourceFiles = readdirSync(workflowsDir).filter((file) => file.endsWith('.ts'));

/** A `patched(…)` / `deprecatePatch(…)` argument: a literal, a constant, or `object.member`. */
const patchCall =
  /\b(?:patched|deprecatePatch)\(\s*('[^']*'|"[^"]*"|[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)?)\s*\)/g;

async function moduleOf(file: string): Promise<Record<string, unknown>> {
  return (await import(path.join(workflowsDir, file))) as Record<string, unknown>;
}

/** The value of `name` as seen in `file`: its export, a local string constant, or what it imports. */
async function valueOf(file: string, name: string): Promise<unknown> {
  const source = readFileSync(path.join(workflowsDir, file), 'utf8');
  const local = new RegExp(`\\bconst ${name}\\s*=\\s*'([^']*)'`).exec(source);
  if (local) return local[1];
  const exported = (await moduleOf(file))[name];
  if (exported !== undefined) return exported;
  const imported = new RegExp(`import \\{[^}]*\\b${name}\\b[^}]*\\} from '\\./([\\w-]+)'`).exec(source);
  if (imported) return (await moduleOf(`${imported[1]}.ts`))[name];
  return undefined;
}

/** Every patch id the workflow code uses, resolved to its string, with the file of each call. */
async function patchIdsInSource(): Promise<Map<string, Set<string>>> {
  const ids = new Map<string, Set<string>>();
  for (const file of sourceFiles) {
    const source = readFileSync(path.join(workflowsDir, file), 'utf8');
    for (const [, argument] of source.matchAll(patchCall)) {
      if (argument === undefined) continue;
      let id: unknown;
      if (/^['"]/.test(argument)) id = argument.slice(1, -1);
      else {
        const [name, member] = argument.split('.') as [string, string | undefined];
        const value = await valueOf(file, name);
        id = member === undefined ? value : (value as Record<string, unknown> | undefined)?.[member];
      }
      assert.equal(typeof id, 'string', `${file}: patched(${argument}) resolves to no string id`);
      const files = ids.get(id as string) ?? new Set<string>();
      files.add(file);
      ids.set(id as string, files);
    }
  }
  return ids;
}

describe('the patch register (workflows/patches.ts)', () => {
  it('lists every patch id used in workflows/, and lists nothing no workflow uses', async () => {
    const used = await patchIdsInSource();
    // The known ids at the time of the register: the resolver found them all (a regex that drifts fails here).
    for (const id of [
      'one-request-steps',
      'needs-attention',
      'cleanup-skips-held-people',
      'invite-local-time',
    ])
      assert.ok(used.has(id), `the source scan no longer finds ${id}`);
    const registered = new Set(patchRegister.map((entry) => entry.id));
    const unregistered = [...used.keys()].filter((id) => !registered.has(id));
    assert.deepEqual(unregistered, [], 'patch ids used in workflows/ but missing from workflows/patches.ts');
    const unused = [...registered].filter((id) => !used.has(id));
    assert.deepEqual(unused, [], 'patch ids in workflows/patches.ts that no workflow uses');
  });

  it('has one entry per id, with a workflow, an origin and a lifetime', () => {
    const ids = patchRegister.map((entry) => entry.id);
    assert.equal(new Set(ids).size, ids.length, `duplicate entries: ${ids.join(', ')}`);
    for (const entry of patchRegister) {
      assert.ok(entry.workflows.length > 0, `${entry.id}: no workflow`);
      assert.equal(new Set(entry.workflows).size, entry.workflows.length, `${entry.id}: a workflow twice`);
      assert.ok(entry.origin.length > 10, `${entry.id}: no origin`);
      assert.ok(entry.longestRun.length > 10, `${entry.id}: no lifetime`);
    }
  });

  it('gives every new patch an id of its own workflow: only ids recorded before it are shared', () => {
    const shared = patchRegister.filter((entry) => entry.workflows.length > 1).map((entry) => entry.id);
    const sharedSinceRegister = shared.filter((id) => !sharedPatchIdsBeforeRegister.includes(id));
    assert.deepEqual(sharedSinceRegister, [], 'a new patch id used by several workflow types');
  });

  it('names registered workflow types only', async () => {
    const index = await moduleOf('index.ts');
    for (const entry of patchRegister) {
      for (const workflow of entry.workflows)
        assert.equal(
          typeof index[workflow],
          'function',
          `${entry.id}: ${workflow} is not in workflows/index.ts`,
        );
    }
  });
});
