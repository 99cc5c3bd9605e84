/**
 * The build context `docker build` sends: the project folder minus what .dockerignore leaves out.
 * Rules as Docker applies them: patterns are relative to the context root, `*` and `?` stay within
 * one path segment, `**` spans any number, a pattern that matches a folder leaves out everything in
 * it, `!` puts matching paths back, and the last matching line wins.
 */
import {
  copyFileSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
} from 'node:fs';
import path from 'node:path';

interface IgnoreRule {
  pattern: RegExp;
  /** The line's text without `!`, to see whether it can re-include something inside a folder. */
  text: string;
  include: boolean;
}

function toRegExp(glob: string): RegExp {
  let source = '';
  for (let index = 0; index < glob.length; index += 1) {
    const char = glob[index] ?? '';
    if (char === '*' && glob[index + 1] === '*') {
      source += '.*';
      index += 1;
      if (glob[index + 1] === '/') index += 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

export function parseDockerignore(text: string): IgnoreRule[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const include = line.startsWith('!');
      const text = path.posix.normalize((include ? line.slice(1) : line).trim()).replace(/^\/+|\/+$/g, '');
      return { pattern: toRegExp(text), text, include };
    });
}

/** Whether `relativePath` (posix, from the context root) is left out of the context. */
export function isIgnored(rules: readonly IgnoreRule[], relativePath: string): boolean {
  const segments = relativePath.split('/');
  const candidates = segments.map((_, index) => segments.slice(0, index + 1).join('/'));
  let ignored = false;
  for (const rule of rules) {
    if (candidates.some((candidate) => rule.pattern.test(candidate))) ignored = !rule.include;
  }
  return ignored;
}

/** Copies the context of `contextDir` into `targetDir`, as Docker would send it; returns the file count. */
export function copyBuildContext(contextDir: string, targetDir: string): number {
  const rules = parseDockerignore(readFileSync(path.join(contextDir, '.dockerignore'), 'utf8'));
  const reincludes = rules.filter((rule) => rule.include).map((rule) => rule.text);
  let files = 0;
  const walk = (relative: string): void => {
    for (const name of readdirSync(path.join(contextDir, relative))) {
      const entry = relative ? `${relative}/${name}` : name;
      const source = path.join(contextDir, entry);
      const target = path.join(targetDir, entry);
      const stat = lstatSync(source);
      const ignored = isIgnored(rules, entry);
      if (stat.isDirectory()) {
        // An ignored folder is only entered when a `!` line could bring something inside it back.
        if (ignored && !reincludes.some((text) => text.startsWith(`${entry}/`))) continue;
        walk(entry);
      } else if (!ignored) {
        mkdirSync(path.dirname(target), { recursive: true });
        if (stat.isSymbolicLink()) symlinkSync(readlinkSync(source), target);
        else copyFileSync(source, target);
        files += 1;
      }
    }
  };
  walk('');
  return files;
}
