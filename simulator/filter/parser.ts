/** The filter tokens as a tree, with every attribute resolved and every operator and value checked. */
import { compareOperators, operatorsByKind, resolveAttribute } from './attributes';
import { type Token, describe, tokenize } from './lexer';
import { type CompareOperator, type FilterNode, FilterSyntaxError, type FilterValue } from './syntax';

// Grammar:  or := and ('or' and)* ; and := unary ('and' unary)* ;
//          unary := 'not' '(' or ')' | '(' or ')' | attr 'pr' | attr op value

class Parser {
  private position = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): FilterNode {
    if (this.tokens.length === 0) throw new FilterSyntaxError('the filter is empty');
    const node = this.parseOr();
    const rest = this.peek();
    if (rest) throw new FilterSyntaxError(`unexpected ${describe(rest)} at position ${rest.at}`);
    return node;
  }

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private next(expected: string): Token {
    const token = this.tokens[this.position];
    if (!token) throw new FilterSyntaxError(`the filter ends where ${expected} was expected`);
    this.position += 1;
    return token;
  }

  private isKeyword(keyword: string): boolean {
    const token = this.peek();
    return token?.type === 'word' && token.value.toLowerCase() === keyword;
  }

  private parseOr(): FilterNode {
    return this.parseChain('or', () => this.parseAnd());
  }

  private parseAnd(): FilterNode {
    return this.parseChain('and', () => this.parseUnary());
  }

  /** `operand (keyword operand)*`, grouped from the left. */
  private parseChain(keyword: 'and' | 'or', parseOperand: () => FilterNode): FilterNode {
    let left = parseOperand();
    while (this.isKeyword(keyword)) {
      this.position += 1;
      left = { kind: keyword, left, right: parseOperand() };
    }
    return left;
  }

  private parseUnary(): FilterNode {
    if (this.isKeyword('not')) {
      this.position += 1;
      const open = this.next('"(" after not');
      if (open.type !== 'open')
        throw new FilterSyntaxError(`"not" must be followed by "(" at position ${open.at}`);
      return { kind: 'not', operand: this.parseGroupRest() };
    }
    const token = this.next('a condition');
    if (token.type === 'open') return this.parseGroupRest();
    if (token.type !== 'word') {
      throw new FilterSyntaxError(
        `expected an attribute but found ${describe(token)} at position ${token.at}`,
      );
    }
    return this.parseCondition(token.value);
  }

  private parseGroupRest(): FilterNode {
    const inner = this.parseOr();
    const close = this.next('")"');
    if (close.type !== 'close')
      throw new FilterSyntaxError(`expected ")" but found ${describe(close)} at position ${close.at}`);
    return inner;
  }

  private parseCondition(path: string): FilterNode {
    const attribute = resolveAttribute(path);
    const operatorToken = this.next(`an operator after "${path}"`);
    const operator = operatorToken.type === 'word' ? operatorToken.value.toLowerCase() : '';
    if (operator === 'pr') return { kind: 'present', attribute };
    if (!compareOperators.has(operator)) {
      throw new FilterSyntaxError(
        `expected an operator after "${path}" but found ${describe(operatorToken)}`,
      );
    }
    const compare = operator as CompareOperator;
    if (!operatorsByKind[attribute.kind].includes(compare)) {
      throw new FilterSyntaxError(`operator "${compare}" is not supported for "${attribute.name}"`);
    }
    const valueToken = this.next(`a value after "${path} ${compare}"`);
    const value = literal(valueToken);
    if (attribute.kind === 'date' && (typeof value !== 'string' || Number.isNaN(Date.parse(value)))) {
      throw new FilterSyntaxError(
        `"${attribute.name}" needs an ISO date in double quotes, got ${describe(valueToken)}`,
      );
    }
    if (attribute.kind !== 'date' && attribute.kind !== 'profile' && typeof value !== 'string') {
      throw new FilterSyntaxError(
        `"${attribute.name}" needs a string in double quotes, got ${describe(valueToken)}`,
      );
    }
    return { kind: 'compare', attribute, operator: compare, value };
  }
}

function literal(token: Token): FilterValue {
  if (token.type === 'string' || token.type === 'number') return token.value;
  if (token.type === 'word') {
    const word = token.value.toLowerCase();
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
  }
  throw new FilterSyntaxError(
    `expected a value (string in double quotes) but found ${describe(token)} at position ${token.at}`,
  );
}

export function parseFilter(text: string): FilterNode {
  return new Parser(tokenize(text)).parse();
}
