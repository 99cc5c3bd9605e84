/** The filter text as tokens: parentheses, double-quoted strings (backslash escapes), numbers and words. */
import { FilterSyntaxError } from './syntax';

export type Token =
  | { type: 'open' | 'close'; at: number }
  | { type: 'string'; value: string; at: number }
  | { type: 'number'; value: number; at: number }
  | { type: 'word'; value: string; at: number };

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i] as string;
    if (/\s/.test(char)) {
      i += 1;
    } else if (char === '(' || char === ')') {
      tokens.push({ type: char === '(' ? 'open' : 'close', at: i });
      i += 1;
    } else if (char === '"') {
      const start = i;
      let value = '';
      i += 1;
      for (;;) {
        if (i >= text.length)
          throw new FilterSyntaxError(`unterminated string starting at position ${start}`);
        const c = text[i] as string;
        if (c === '\\') {
          const next = text[i + 1];
          if (next === undefined) throw new FilterSyntaxError(`dangling escape at position ${i}`);
          value += next;
          i += 2;
        } else if (c === '"') {
          i += 1;
          break;
        } else {
          value += c;
          i += 1;
        }
      }
      tokens.push({ type: 'string', value, at: start });
    } else if (/[-0-9]/.test(char)) {
      const match = /^-?\d+(\.\d+)?/.exec(text.slice(i));
      if (!match) throw new FilterSyntaxError(`unexpected "${char}" at position ${i}`);
      tokens.push({ type: 'number', value: Number(match[0]), at: i });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(char)) {
      const match = /^[A-Za-z_][\w.$-]*/.exec(text.slice(i)) as RegExpExecArray;
      tokens.push({ type: 'word', value: match[0], at: i });
      i += match[0].length;
    } else {
      throw new FilterSyntaxError(`unexpected "${char}" at position ${i}`);
    }
  }
  return tokens;
}

/** A token as an error message names it. */
export function describe(token: Token): string {
  switch (token.type) {
    case 'open':
      return '"("';
    case 'close':
      return '")"';
    case 'string':
      return `string "${token.value}"`;
    default:
      return `"${token.value}"`;
  }
}
