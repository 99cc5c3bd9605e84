/**
 * The test suite's personal-data check: after every test file ran, `npm test` reads every log line
 * the suite's processes wrote (captured through config/log-capture.ts) and fails when one holds a
 * test person's name, userName or email (test/helpers/people.ts `testPersonalData`). A finding names
 * the line's source (`worker-<pid>`, `hr-api-<pid>`, `test-process-<pid>`, …) and its line number,
 * and shows the value masked: the report must not print what it forbids.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

export interface PersonalDataPattern {
  /** What it finds: `name`, `userName`, `email`. */
  kind: string;
  /** Without the `g` flag. */
  pattern: RegExp;
}

export interface LogFinding {
  /** The capture file without `.log`: the process's source and pid. */
  source: string;
  line: number;
  kind: string;
  /** The value found, masked (`Ad…(3)`). */
  masked: string;
  /** The line with every personal value masked, shortened. */
  excerpt: string;
}

export interface LogCheckResult {
  files: number;
  lines: number;
  findings: LogFinding[];
}

const MAX_EXCERPT = 240;

/** The first two characters and the length: enough to find it, not enough to read it. */
export function maskValue(value: string): string {
  return `${[...value].slice(0, 2).join('')}…(${[...value].length})`;
}

const globalOf = (pattern: RegExp): RegExp =>
  new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);

export function maskPersonalData(line: string, patterns: readonly PersonalDataPattern[]): string {
  return patterns.reduce((masked, { pattern }) => masked.replace(globalOf(pattern), maskValue), line);
}

/** Every personal value in the lines, one finding per line and kind. */
export function findPersonalDataInLines(
  source: string,
  lines: readonly string[],
  patterns: readonly PersonalDataPattern[],
): LogFinding[] {
  const findings: LogFinding[] = [];
  lines.forEach((text, index) => {
    for (const { kind, pattern } of patterns) {
      const match = globalOf(pattern).exec(text);
      if (!match) continue;
      const excerpt = maskPersonalData(text, patterns);
      findings.push({
        source,
        line: index + 1,
        kind,
        masked: maskValue(match[0]),
        excerpt: excerpt.length > MAX_EXCERPT ? `${excerpt.slice(0, MAX_EXCERPT)}…` : excerpt,
      });
    }
  });
  return findings;
}

/** Reads every `*.log` file of a capture directory. */
export function checkCapturedLogs(dir: string, patterns: readonly PersonalDataPattern[]): LogCheckResult {
  const result: LogCheckResult = { files: 0, lines: 0, findings: [] };
  let files: string[];
  try {
    files = readdirSync(dir).filter((file) => file.endsWith('.log'));
  } catch {
    return result; // nothing was captured
  }
  for (const file of files.sort()) {
    const lines = readFileSync(path.join(dir, file), 'utf8')
      .split('\n')
      .filter((line) => line !== '');
    result.files += 1;
    result.lines += lines.length;
    result.findings.push(...findPersonalDataInLines(path.basename(file, '.log'), lines, patterns));
  }
  return result;
}

/** The report: one line per finding (at most `limit`), values masked. */
export function describeFindings(findings: readonly LogFinding[], limit = 20): string {
  const shown = findings
    .slice(0, limit)
    .map(
      (finding) =>
        `  ${finding.source}:${finding.line} ${finding.kind} ${finding.masked}: ${finding.excerpt}`,
    );
  const more = findings.length > limit ? [`  … and ${findings.length - limit} more`] : [];
  return [...shown, ...more].join('\n');
}
