/**
 * The one externalID rule of lifecycle/field-rules.ts: ids with invisible or look-alike characters
 * are refused, naming the character, and never rewritten (workflow ids and look-ups match exactly).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { externalIdHygieneProblem, externalIdSchema } from '../../lifecycle/field-rules';
import { offboardingRequestSchema } from '../../lifecycle/offboarding-request';
import { validate } from '../../lifecycle/validation';

const refusal = (value: string) => {
  const result = externalIdSchema.safeParse(value);
  assert.equal(result.success, false, `${JSON.stringify(value)} must be refused`);
  return result.error?.issues.map((issue) => issue.message).join('; ') ?? '';
};

describe('externalID rule', () => {
  it('accepts ordinary ids, accented letters in NFC and other scripts, exactly as given (trimmed)', () => {
    for (const id of ['emp-1042', 'E_7.a@b', 'José', 'Müller-Lüdenscheidt', '山田-01', 'Ωmega', '😀-1']) {
      assert.equal(externalIdSchema.parse(id), id);
    }
    assert.equal(externalIdSchema.parse('  emp-1 '), 'emp-1');
  });

  it('refuses C1 control characters, naming the code point', () => {
    assert.match(refusal('emp\u00851'), /control characters \(U\+0085 is a C1 control\)/);
    assert.match(refusal('\u009fE'), /U\+009F/);
    assert.match(refusal('E\u00801'), /U\+0080/);
  });

  it('refuses bidirectional text controls (overrides, embeddings, isolates, marks)', () => {
    for (const char of ['\u202e', '\u202a', '\u2066', '\u2069', '\u200e', '\u200f', '\u061c']) {
      const code = `U+${char.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')}`;
      assert.match(
        refusal(`emp-${char}1`),
        new RegExp(`bidirectional text controls \\(${code.replace('+', '\\+')}\\)`),
      );
    }
  });

  it('refuses zero-width and invisible characters, also the U+FEFF that trim() would silently drop', () => {
    for (const char of ['\u200b', '\u200c', '\u200d', '\u2060', '\u00ad', '\u180e', '\u{e0041}']) {
      assert.match(refusal(`emp${char}1`), /zero-width or invisible characters/);
    }
    assert.match(refusal('\ufeffemp-1'), /U\+FEFF/);
    assert.match(refusal('emp-1\ufeff'), /U\+FEFF/);
  });

  it('refuses an id not in NFC instead of normalising it: the decomposed form is another id', () => {
    const decomposed = 'Jose\u0301';
    assert.notEqual(decomposed, decomposed.normalize('NFC'));
    assert.match(refusal(decomposed), /normalization form NFC/);
    assert.equal(externalIdHygieneProblem(decomposed.normalize('NFC')), undefined);
    // Compatibility forms (a ligature) are NFC already: they are kept, not folded.
    assert.equal(externalIdSchema.parse('ﬁle-1'), 'ﬁle-1');
  });

  it('refuses a lone surrogate (not text)', () => {
    assert.match(refusal('emp-\ud800'), /valid Unicode/);
  });

  it('is the rule of every request schema: the problem names the field externalID', () => {
    const result = validate(offboardingRequestSchema, { externalID: 'emp\u200b-1' });
    assert.equal(result.ok, false);
    assert.deepEqual(!result.ok && result.problems.map((problem) => problem.field), ['externalID']);
  });
});
