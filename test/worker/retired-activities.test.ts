/**
 * The fence around activities/retired/: old histories schedule the retired activities by NAME, so the
 * Staffbase worker must keep registering every name a recorded history schedules, and the retired
 * names must come from the retired factories. Current code never imports the fenced folder (ESLint
 * says so too; this check resolves the import paths, so a path ESLint's pattern misses fails here).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createActivities } from '../../activities';
import { createRetiredActivities } from '../../activities/retired';
import type { StaffbaseClient } from '../../staffbase/client';
import type { Notifier } from '../../activities/notifications/notifier';

const root = path.resolve(__dirname, '..', '..');
const retiredDir = path.join(root, 'activities', 'retired');
/** The registration: the only module outside the folder that may import it. */
const registration = path.join(root, 'activities', 'index.ts');

/** The factories only close over their dependencies; no call is made while registering. */
const unused = {} as StaffbaseClient;
const registered: Record<string, unknown> = createActivities({
  staffbase: unused,
  notifier: {} as Notifier,
  appUrl: 'http://localhost',
  offboardingMinRetentionDays: 0,
});

interface HistoryEvent {
  activityTaskScheduledEventAttributes?: { activityType?: { name?: string } };
}

/**
 * Every activity type a replayed history (test/replay/histories) scheduled. Known failures are left
 * out: a fixture moved there when its old branch was deprecated no longer needs its activities.
 */
function scheduledInHistories(): Set<string> {
  const names = new Set<string>();
  const dir = path.join(root, 'test', 'replay', 'histories');
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
    const history = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { events: HistoryEvent[] };
    for (const event of history.events) {
      const name = event.activityTaskScheduledEventAttributes?.activityType?.name;
      if (name) names.add(name);
    }
  }
  return names;
}

/** The TypeScript and ESM sources outside test/, node_modules and other generated folders. */
function sourceFiles(dir: string): string[] {
  const skipped = new Set(['node_modules', 'test', 'dist', '.tools', '.data', '.git']);
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory())
      return skipped.has(entry.name) || entry.name.startsWith('.') ? [] : sourceFiles(full);
    return /\.(ts|mts|mjs)$/.test(entry.name) ? [full] : [];
  });
}

/** `… from '…'`, `import '…'`, `import('…')`, `require('…')`. */
const importSpecifier = /(?:\bfrom\s+|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"]([^'"]+)['"]/g;

describe('retired activities (activities/retired/)', () => {
  it('registers every activity a recorded history schedules, under its name', () => {
    const scheduled = scheduledInHistories();
    assert.ok(scheduled.has('ensureOnboardingUser'), 'the histories hold runs from before one-request-steps');
    const missing = [...scheduled].filter((name) => !(name in registered));
    assert.deepEqual(missing, [], 'scheduled by a recorded history but not registered');
  });

  it('registers each retired name with the retired implementation, shadowed by no current one', () => {
    const retired = createRetiredActivities(unused);
    assert.ok(Object.keys(retired).length > 0);
    for (const [name, implementation] of Object.entries(retired)) {
      const registeredImplementation = registered[name];
      assert.equal(typeof registeredImplementation, 'function', name);
      assert.equal(
        String(registeredImplementation),
        String(implementation),
        `${name} is not the retired one`,
      );
    }
  });

  it('is imported only by itself and the registration', () => {
    const offenders = sourceFiles(root).flatMap((file) => {
      if (file === registration || file.startsWith(retiredDir + path.sep)) return [];
      const source = readFileSync(file, 'utf8');
      return [...source.matchAll(importSpecifier)]
        .map((match) => match[1] ?? '')
        .filter((specifier) => specifier.startsWith('.'))
        .filter((specifier) => {
          const target = path.resolve(path.dirname(file), specifier);
          return target === retiredDir || target.startsWith(retiredDir + path.sep);
        })
        .map((specifier) => `${path.relative(root, file)} imports ${specifier}`);
    });
    assert.deepEqual(offenders, []);
  });
});
