/**
 * `doctor --write-config [path]`: merges the settings the doctor detected into an env file (default
 * `.env`). Only the tenant-behaviour settings on {@link WRITABLE_SETTINGS} are written, never a secret.
 * An existing `NAME=` line is replaced in place; a variable only shown commented out (`# NAME=…`, as
 * `.env.example` does) gets its line right below that comment; any other is appended. Every other
 * line, comments included, stays as it was.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { type Recommendation } from './report';

export const WRITABLE_SETTINGS: readonly string[] = [
  'STAFFBASE_PROFILE_PLACEMENT',
  'STAFFBASE_PROFILE_UPDATE',
  'STAFFBASE_FILTER_SPACE_ENCODING',
  'STAFFBASE_LOOKUP_MODE',
];
const SECRET_NAME = /TOKEN|SECRET|PASSWORD|KEY/i;
const SAFE_VALUE = /^[A-Za-z0-9%+._-]+$/;

export interface ConfigChange {
  variable: string;
  /** The value the file had (undefined: not set). */
  from: string | undefined;
  to: string;
  how: 'replaced' | 'added' | 'unchanged';
}

/** Refuses (throws, naming the variable) anything off the allow-list, a secret, or an unsafe value. */
function checkWritable({ variable, value }: Recommendation): void {
  if (SECRET_NAME.test(variable)) throw new Error(`${variable}: the doctor never writes a secret`);
  if (!WRITABLE_SETTINGS.includes(variable)) {
    throw new Error(`${variable}: not a setting the doctor writes (only ${WRITABLE_SETTINGS.join(', ')})`);
  }
  if (!SAFE_VALUE.test(value))
    throw new Error(`${variable}: refusing to write the value ${JSON.stringify(value)}`);
}

const escapeName = (name: string) => name.replace(/[^A-Z0-9_]/g, '');

export function mergeEnvText(
  text: string,
  settings: readonly Recommendation[],
): { text: string; changes: ConfigChange[] } {
  settings.forEach(checkWritable);
  const endsWithNewline = text === '' || text.endsWith('\n');
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  const changes: ConfigChange[] = [];
  for (const { variable, value } of settings) {
    const name = escapeName(variable);
    const active = new RegExp(`^(\\s*(?:export\\s+)?)${name}\\s*=(.*)$`);
    const commented = new RegExp(`^\\s*#\\s*${name}\\s*=`);
    let index = -1;
    lines.forEach((line, at) => {
      if (active.test(line)) index = at;
    });
    if (index >= 0) {
      const [, prefix = '', current = ''] = active.exec(lines[index] ?? '') ?? [];
      // A trailing ` # comment` stays on the line.
      const [, rawValue = '', comment = ''] = /^(.*?)(\s+#.*)?$/.exec(current) ?? [];
      const from = rawValue.trim().replace(/^(['"])(.*)\1$/, '$2');
      if (from === value) {
        changes.push({ variable, from, to: value, how: 'unchanged' });
        continue;
      }
      lines[index] = `${prefix}${name}=${value}${comment}`;
      changes.push({ variable, from, to: value, how: 'replaced' });
      continue;
    }
    const example = lines.findIndex((line) => commented.test(line));
    if (example >= 0) lines.splice(example + 1, 0, `${name}=${value}`);
    else lines.push(`${name}=${value}`);
    changes.push({ variable, from: undefined, to: value, how: 'added' });
  }
  const merged = lines.join('\n');
  return { text: merged === '' ? '' : endsWithNewline ? `${merged}\n` : merged, changes };
}

/** Reads `path` (a missing file counts as empty), merges, and writes it back only when something changed. */
export async function writeConfigFile(
  path: string,
  settings: readonly Recommendation[],
): Promise<ConfigChange[]> {
  let text = '';
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const merged = mergeEnvText(text, settings);
  if (merged.changes.some((change) => change.how !== 'unchanged')) await writeFile(path, merged.text, 'utf8');
  return merged.changes;
}

/** One line per variable for people: what changed, what was added, what stayed. */
export function describeChanges(path: string, changes: readonly ConfigChange[]): string[] {
  if (changes.length === 0) return [`${path}: nothing detected to write`];
  return changes.map(({ variable, from, to, how }) =>
    how === 'replaced'
      ? `${path}: ${variable}=${to} (was ${from === '' ? 'empty' : from})`
      : how === 'added'
        ? `${path}: ${variable}=${to} (added)`
        : `${path}: ${variable}=${to} (unchanged)`,
  );
}
