/**
 * The CLI refuses an externalID the HTTP API would refuse, on every command that takes one (starts
 * and look-ups alike), with exit 2 naming the field, before it connects to Temporal: the address
 * given here has no server, so a command that got past the check would exit 5 instead.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cli } from './run-cli';

const nowhere = '127.0.0.1:1';

describe('CLI: externalID rule', () => {
  it('refuses zero-width, bidi, C1 and non-NFC ids with exit 2, naming externalID and the flag', async () => {
    const cases: [string[], RegExp][] = [
      [['delete-now', 'emp\u200b-1'], /U\+200B/],
      [['offboard', '--external-id', 'emp-1\u202e'], /U\+202E/],
      [['status', 'emp\u0085-1'], /U\+0085/],
      [
        [
          'onboard',
          'Jose\u0301',
          '--user-name',
          'j',
          '--first-name',
          'J',
          '--last-name',
          'K',
          '--email',
          'j@example.test',
        ],
        /NFC/,
      ],
    ];
    const runs = await Promise.all(cases.map(([args]) => cli(['--json', ...args], { address: nowhere })));
    for (const [index, run] of runs.entries()) {
      const [args, reason] = cases[index] ?? [[], /$/];
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stdout}${run.stderr}`);
      const { error } = JSON.parse(run.stdout) as {
        error: { kind: string; problems: { field: string; message: string }[] };
      };
      assert.equal(error.kind, 'invalid-input');
      assert.deepEqual(
        error.problems.map((problem) => problem.field),
        ['externalID'],
      );
      assert.match(error.problems[0]?.message ?? '', reason);
    }
  });
});
