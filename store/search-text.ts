/**
 * The person index's search column, computed in code so SQLite and PostgreSQL match alike: lower-case,
 * accents stripped (Müller → muller, Ødegård → odegard), as ` word word … ` with a space before each
 * word, so `LIKE '% term%'` finds a prefix of any word (a whole word being its own prefix).
 */

/** Letters NFKD does not decompose into a base letter and a mark. */
const foldings: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};

export function normaliseForSearch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[ßæœøłđðþı]/g, (letter) => foldings[letter] ?? letter);
}

/** The searchable words of one value: the whole value and its alphanumeric parts (anna.muller@x → anna, muller, x). */
function wordsOf(value: string): string[] {
  const whole = normaliseForSearch(value).trim();
  if (whole === '') return [];
  return [...whole.split(/\s+/), ...whole.split(/[^\p{L}\p{N}]+/u)].filter((word) => word !== '');
}

export function searchText(values: readonly (string | null | undefined)[]): string {
  const words = [...new Set(values.flatMap((value) => (value ? wordsOf(value) : [])))];
  return ` ${words.join(' ')} `;
}

/** The terms of a query: each must be the prefix of some word. */
export function searchTerms(query: string): string[] {
  return [...new Set(normaliseForSearch(query).trim().split(/\s+/))].filter((term) => term !== '');
}

/** `LIKE` pattern for a term as a word prefix, with `\` escaping LIKE's own wildcards. */
export function wordPrefixPattern(term: string): string {
  return `% ${term.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}
