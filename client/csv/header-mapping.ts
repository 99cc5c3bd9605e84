import { type ImportKind, acceptsProfileColumns, importColumns, profileColumnPrefix } from './columns';
import { headerAliases, headerKey } from './header-aliases';
import { type HeaderOverride, ignoreTarget } from './header-overrides';
import { ImportFileError } from './import-file-error';

/**
 * Which field each column of an import file fills. A header is read, in this order, as: the user's
 * override (`--map`, then `--mapping`), a `profile.<field>` column, a field name, or an HR-system alias
 * (`header-aliases.ts`); all but `profile.` ignore case, spaces and punctuation. Anything else is
 * unknown: reported with the likeliest fields, or left out with `--ignore-unknown`. Every problem of
 * the header is reported at once, because HR fixes a header in one go.
 */

export type ColumnTarget =
  { kind: 'field'; field: string } | { kind: 'profile'; profileField: string } | { kind: 'ignored' };

export type MatchedBy =
  'field name' | 'alias' | 'profile column' | '--map' | '--mapping' | '--ignore-unknown';

export interface MappedColumn {
  /** 0-based position in the row. */
  index: number;
  /** The header cell as written. */
  header: string;
  target: ColumnTarget;
  matchedBy: MatchedBy;
}

export interface HeaderMappingOptions {
  overrides?: HeaderOverride[];
  ignoreUnknown?: boolean;
}

/** What a column fills, in the words of the import columns: `startDate`, `profile.department`, `ignored`. */
export function targetName(target: ColumnTarget): string {
  if (target.kind === 'field') return target.field;
  return target.kind === 'profile' ? `${profileColumnPrefix}${target.profileField}` : 'ignored';
}

/** `column 6 "Hire Date" → startDate (alias)`: the dry run prints one per column. */
export function describeMapping(columns: MappedColumn[]): string[] {
  return columns.map(
    (column) =>
      `column ${column.index + 1} "${column.header}" → ${targetName(column.target)} (${column.matchedBy})`,
  );
}

interface FieldIndex {
  /** headerKey → field, for field names and aliases. */
  byKey: Map<string, { field: string; matchedBy: 'field name' | 'alias' }>;
  fields: string[];
}

function fieldIndex(lifecycle: ImportKind): FieldIndex {
  const fields = Object.keys(importColumns[lifecycle]);
  const byKey: FieldIndex['byKey'] = new Map();
  for (const [field, aliases] of Object.entries(headerAliases[lifecycle])) {
    for (const alias of aliases) byKey.set(headerKey(alias), { field, matchedBy: 'alias' });
  }
  // Field names win over an alias that happens to normalise the same way.
  for (const field of fields) byKey.set(headerKey(field), { field, matchedBy: 'field name' });
  return { byKey, fields };
}

/** A `--map` / `--mapping` target → a column target, or why it is not one. */
function overrideTarget(
  override: HeaderOverride,
  lifecycle: ImportKind,
  index: FieldIndex,
): { target: ColumnTarget } | { problem: string } {
  const text = override.target;
  if (text.toLowerCase() === ignoreTarget) return { target: { kind: 'ignored' } };
  if (text.toLowerCase().startsWith(profileColumnPrefix) && text.length > profileColumnPrefix.length) {
    return acceptsProfileColumns[lifecycle]
      ? { target: { kind: 'profile', profileField: text.slice(profileColumnPrefix.length) } }
      : {
          problem: `${override.source} "${override.header}=${text}": ${lifecycle} files take no profile fields`,
        };
  }
  const field = index.fields.find((candidate) => candidate.toLowerCase() === text.toLowerCase());
  return field
    ? { target: { kind: 'field', field } }
    : {
        problem:
          `${override.source} "${override.header}=${text}": "${text}" is not a field of ${rowWords(lifecycle)} ` +
          `(fields: ${fieldChoices(lifecycle)})`,
      };
}

/** What a row of the file is, for messages: `an onboarding request`, `a snapshot row`. */
function rowWords(kind: ImportKind): string {
  return kind === 'snapshot' ? 'a snapshot row' : kind === 'leave' ? 'a leave request' : `an ${kind} request`;
}

/** The fields a header can be mapped to, for messages. */
export function fieldChoices(lifecycle: ImportKind): string {
  const names = Object.keys(importColumns[lifecycle]);
  return [...names, ...(acceptsProfileColumns[lifecycle] ? ['profile.<field>'] : []), ignoreTarget].join(
    ', ',
  );
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The fields an unknown header most likely means (close spelling, or one name inside the other). */
function likelyFields(key: string, index: FieldIndex): string[] {
  const closeness = new Map<string, number>();
  for (const [candidateKey, { field }] of index.byKey) {
    const contains =
      Math.min(key.length, candidateKey.length) >= 3 &&
      (key.includes(candidateKey) || candidateKey.includes(key));
    const distance = contains ? 0 : editDistance(key, candidateKey);
    if (distance <= Math.max(2, Math.floor(candidateKey.length / 4))) {
      closeness.set(field, Math.min(distance, closeness.get(field) ?? Infinity));
    }
  }
  return [...closeness]
    .sort((a, b) => a[1] - b[1])
    .slice(0, 3)
    .map(([field]) => field);
}

function unknownHeaderProblem(
  column: number,
  header: string,
  lifecycle: ImportKind,
  index: FieldIndex,
): string {
  const position = `column ${column + 1}`;
  if (header === '') return `${position} has no name (name it, or leave it out with --ignore-unknown)`;
  const likely = likelyFields(headerKey(header), index);
  const profileHint = acceptsProfileColumns[lifecycle] ? `, --map "${header}=profile.<field>"` : '';
  return (
    `${position} "${header}" is not a field of ${rowWords(lifecycle)}` +
    (likely.length > 0 ? `; did you mean ${likely.join(' or ')}?` : '') +
    ` Map it with --map "${header}=<field>"${profileHint}, or leave it out with --ignore-unknown ` +
    `(fields: ${fieldChoices(lifecycle)})`
  );
}

/** Reads the header row; throws {@link ImportFileError} listing every problem. */
export function mapHeader(
  cells: string[],
  lifecycle: ImportKind,
  options: HeaderMappingOptions = {},
  headerRow = 1,
): MappedColumn[] {
  const index = fieldIndex(lifecycle);
  const problems: string[] = [];
  const overrides = options.overrides ?? [];
  // --map first: a one-off --map beats the mapping file kept for every export.
  const ordered = [
    ...overrides.filter((o) => o.source === '--map'),
    ...overrides.filter((o) => o.source === '--mapping'),
  ];
  const headers = cells.map((cell) => cell.trim());

  for (const override of ordered) {
    const matched = headers.some((header) => headerKey(header) === headerKey(override.header));
    // A mapping file is kept for many exports, so its extra entries are fine; a --map is for this file.
    if (!matched && override.source === '--map') {
      problems.push(
        `--map "${override.header}=${override.target}": the file has no column "${override.header}"`,
      );
    }
  }

  const columns = headers.map((header, position): MappedColumn => {
    const base = { index: position, header };
    const override = ordered.find(
      (candidate) => headerKey(candidate.header) === headerKey(header) && header !== '',
    );
    if (override) {
      const resolved = overrideTarget(override, lifecycle, index);
      if ('target' in resolved) return { ...base, target: resolved.target, matchedBy: override.source };
      problems.push(resolved.problem);
      return { ...base, target: { kind: 'ignored' }, matchedBy: override.source };
    }
    if (
      acceptsProfileColumns[lifecycle] &&
      header.toLowerCase().startsWith(profileColumnPrefix) &&
      header.length > profileColumnPrefix.length
    ) {
      const profileField = header.slice(profileColumnPrefix.length);
      return { ...base, target: { kind: 'profile', profileField }, matchedBy: 'profile column' };
    }
    const known = header === '' ? undefined : index.byKey.get(headerKey(header));
    if (known) return { ...base, target: { kind: 'field', field: known.field }, matchedBy: known.matchedBy };
    if (options.ignoreUnknown) return { ...base, target: { kind: 'ignored' }, matchedBy: '--ignore-unknown' };
    problems.push(unknownHeaderProblem(position, header, lifecycle, index));
    return { ...base, target: { kind: 'ignored' }, matchedBy: 'field name' };
  });

  problems.push(...ambiguities(columns));
  const filled = new Set(columns.map((column) => targetName(column.target)));
  for (const [field, spec] of Object.entries(importColumns[lifecycle])) {
    if (!spec.required || filled.has(field)) continue;
    const aliases = headerAliases[lifecycle][field] ?? [];
    problems.push(
      `the required column "${field}" is missing` +
        (aliases.length > 0
          ? ` (also read from: ${aliases.slice(0, 4).join(', ')}, …; or --map "Header=${field}")`
          : ''),
    );
  }
  if (problems.length > 0) {
    throw new ImportFileError(
      `The header row (row ${headerRow}) of this ${lifecycle} file has problems`,
      problems,
    );
  }
  return columns;
}

/** Two columns that fill the same field: which one counts is the user's choice, never a guess. */
function ambiguities(columns: MappedColumn[]): string[] {
  const byTarget = new Map<string, MappedColumn[]>();
  for (const column of columns) {
    if (column.target.kind === 'ignored') continue;
    const name = targetName(column.target);
    byTarget.set(name, [...(byTarget.get(name) ?? []), column]);
  }
  const problems: string[] = [];
  for (const [name, sharing] of byTarget) {
    if (sharing.length < 2) continue;
    const listed = sharing.map((column) => `${column.index + 1} "${column.header}"`).join(' and ');
    const sameHeader = new Set(sharing.map((column) => headerKey(column.header))).size === 1;
    problems.push(
      sameHeader
        ? `columns ${listed}: "${sharing[0]?.header}" appears twice`
        : `columns ${listed} ${sharing.length === 2 ? 'both' : 'all'} read as ${name}: keep one, e.g. --map "${sharing[1]?.header}=${ignoreTarget}"`,
    );
  }
  return problems;
}
