/** How `onboard` and `offboard` build their request: --from-json, then the set flags over it, then the schema. */
import assert from 'node:assert/strict';
import { Readable, Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { CommandContext } from '../../../client/cli/context';
import { CliError, ExitCode } from '../../../client/cli/exit-codes';
import { requestFromFlags } from '../../../client/cli/parsing';
import { offboardingRequestSchema } from '../../../lifecycle/offboarding-request';

const offboardingRequest = {
  schema: offboardingRequestSchema,
  what: 'offboarding request',
  flagOf: { externalID: '<externalID> / --external-id', retentionDays: '--retention-days' },
};

/** A context whose stdin holds `json`: what `--from-json -` reads. */
function contextWithStdin(json: unknown): CommandContext {
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  const io = { stdout: sink, stderr: sink, stdin: Readable.from([JSON.stringify(json)]), env: {} };
  return new CommandContext(io, {});
}

describe('requestFromFlags', () => {
  it('keeps the JSON fields no flag sets, puts the set flags and the argument over them, and shows the flags the JSON', async () => {
    const fromJson = { externalID: 'emp-json', reason: 'from the file', retentionDays: 30 };
    let seenByFlags: Record<string, unknown> | undefined;
    const request = await requestFromFlags(
      contextWithStdin(fromJson),
      'emp-7',
      { fromJson: '-' },
      offboardingRequest,
      (json) => {
        seenByFlags = json;
        return { retentionDays: 5, reason: undefined, lastWorkingDay: '2027-03-31' };
      },
    );
    assert.deepEqual(seenByFlags, fromJson);
    assert.equal(request.externalID, 'emp-7');
    assert.equal(request.retentionDays, 5);
    assert.equal(request.reason, 'from the file', 'an unset flag leaves the JSON field');
    assert.equal(request.lastWorkingDay, '2027-03-31');
  });

  it('without --from-json the flags alone make the request; --external-id stands for the argument', async () => {
    const request = await requestFromFlags(
      new CommandContext(
        { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: {} },
        {},
      ),
      undefined,
      { externalId: 'emp-8' },
      offboardingRequest,
      () => ({ reason: 'moved on' }),
    );
    assert.equal(request.externalID, 'emp-8');
    assert.equal(request.reason, 'moved on');
    assert.equal(request.retentionDays, undefined);
  });

  it('refuses an argument and --external-id that differ, and a bad field naming its flag (exit 2)', async () => {
    await assert.rejects(
      requestFromFlags(
        contextWithStdin({}),
        'emp-1',
        { fromJson: '-', externalId: 'emp-2' },
        offboardingRequest,
        () => ({}),
      ),
      (error: unknown) =>
        error instanceof CliError &&
        error.exitCode === ExitCode.invalidInput &&
        /externalID: given twice/.test(error.message),
    );
    await assert.rejects(
      requestFromFlags(
        contextWithStdin({ retentionDays: 5 }),
        'emp-1',
        { fromJson: '-' },
        offboardingRequest,
        () => ({
          retentionDays: -1,
        }),
      ),
      (error: unknown) =>
        error instanceof CliError &&
        error.exitCode === ExitCode.invalidInput &&
        /Invalid offboarding request/.test(error.message) &&
        /retentionDays \(--retention-days\)/.test(error.message),
    );
  });
});
