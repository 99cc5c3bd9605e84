/** The support requests shared by CLI, HTTP API and starters: validation, normalisation, workflow IDs. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeFilter } from '../../staffbase/filters';
import { toCleanupInput, toPopulationLogoutInput } from '../../lifecycle/support-inputs';
import {
  cleanupRequestSchema,
  defaultCleanupPolicy,
  moverRequestSchema,
  populationLogoutRequestSchema,
} from '../../lifecycle/support-requests';
import { cleanupSelectionOf } from '../../lifecycle/support-guards';
import {
  cleanupWorkflowId,
  parseBulkRunId,
  populationLogoutWorkflowId,
  stableHash,
} from '../../lifecycle/workflow-ids';

const issuesOf = (result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}) => (result.error?.issues ?? []).map((issue) => `${issue.path.join('.')}: ${issue.message}`);

describe('support requests', () => {
  it('hashes with FNV-1a 64 (stable across processes)', () => {
    assert.equal(stableHash(''), 'cbf29ce484222325');
    assert.equal(stableHash('abc'), 'e71fa2190541574b');
  });

  it('gives one population-logout ID per filter, however it is spaced, and another to its dry run', () => {
    const idOf = (filter: string, dryRun = false) =>
      populationLogoutWorkflowId(
        toPopulationLogoutInput(populationLogoutRequestSchema.parse({ filter, dryRun })),
      );
    const id = idOf('staffbase.creationType eq "sso"');
    assert.match(id, /^population-logout-[0-9a-f]{16}$/);
    assert.equal(normalizeFilter('  ( a   eq "x  y" )  and   b eq "z" '), '(a eq "x  y") and b eq "z"');
    assert.equal(idOf(' staffbase.creationType  eq  "sso" '), id);
    assert.notEqual(idOf('staffbase.creationType eq "SSO"'), id, 'quoted values are kept exactly');
    assert.notEqual(idOf('staffbase.creationType eq "sso"', true), id);
  });

  it('turns a group into its filter, quoted', () => {
    const input = toPopulationLogoutInput(populationLogoutRequestSchema.parse({ groupId: 'night "shift"' }));
    assert.equal(input.filter, 'groups eq "night \\"shift\\""');
    assert.deepEqual(input.statuses, ['activated']);
    assert.equal(input.pageSize, 100);
  });

  it('refuses filters with unbalanced parentheses (outside quoted values) at the edge', () => {
    const filterIssues = (filter: string) => issuesOf(populationLogoutRequestSchema.safeParse({ filter }));
    assert.deepEqual(filterIssues('(a eq "x" or b eq "y"'), ['filter: has unbalanced parentheses']);
    assert.deepEqual(filterIssues('a eq "x")'), ['filter: has unbalanced parentheses']);
    assert.deepEqual(filterIssues(')a eq "x"('), ['filter: has unbalanced parentheses']);
    assert.deepEqual(filterIssues('(a eq "x") and (b eq "(y")'), []);
    assert.deepEqual(filterIssues('name eq "smiley :)"'), []);
  });

  it('copies no threshold of its own into the input (the worker’s apply); a request or a starter may only lower it', () => {
    const request = populationLogoutRequestSchema.parse({ filter: 'a eq "x"' });
    const plain = toPopulationLogoutInput(request);
    assert.ok(!('confirmAbove' in plain) && !('maxFailures' in plain), JSON.stringify(plain));
    assert.equal(toPopulationLogoutInput(request, { confirmAbove: 10 }).confirmAbove, 10);
    const capped = populationLogoutRequestSchema.parse({ filter: 'a eq "x"', maxFailures: 10_000 });
    assert.equal(toPopulationLogoutInput(capped).maxFailures, 10_000);
    assert.equal(toPopulationLogoutInput(capped, { maxFailures: 100 }).maxFailures, 100);
    const lower = populationLogoutRequestSchema.parse({ filter: 'a eq "x"', confirmAbove: 3 });
    assert.equal(toPopulationLogoutInput(lower, { confirmAbove: 10 }).confirmAbove, 3);
    const higher = populationLogoutRequestSchema.parse({ filter: 'a eq "x"', confirmAbove: 500 });
    assert.equal(toPopulationLogoutInput(higher, { confirmAbove: 10 }).confirmAbove, 10);
  });

  it('names the field in every refusal', () => {
    assert.deepEqual(issuesOf(populationLogoutRequestSchema.safeParse({})), [
      'filter: give filter or groupId (exactly one)',
    ]);
    assert.deepEqual(issuesOf(populationLogoutRequestSchema.safeParse({ filter: 'a eq "b', pageSize: 0 })), [
      'filter: has an unclosed double quote',
      'pageSize: must be at least 1',
    ]);
    assert.deepEqual(issuesOf(moverRequestSchema.safeParse({ externalID: 'E1' })), [
      'profile: give at least one change: firstName, lastName, locale, profile or addToGroups',
    ]);
    assert.deepEqual(
      issuesOf(
        cleanupRequestSchema.safeParse({
          kind: 'deactivated-users',
          deactivatedFrom: '2024-04-01',
          deactivatedBefore: '2024-03-01',
        }),
      ),
      ['deactivatedBefore: must be after deactivatedFrom'],
    );
  });

  it('lets a clean-up request lower the safety threshold, never raise it', () => {
    const request = cleanupRequestSchema.parse({
      kind: 'pending-accounts',
      olderThanDays: 30,
      confirmAbove: 5,
    });
    assert.equal(toCleanupInput(request, defaultCleanupPolicy).confirmAbove, 5);
    // As the HR API and the CLI start it: the request's own threshold only, no maxFailures (the worker's apply).
    assert.equal(toCleanupInput(request).confirmAbove, 5);
    assert.ok(!('maxFailures' in toCleanupInput(request)));
    const plain = toCleanupInput(cleanupRequestSchema.parse({ kind: 'pending-accounts', olderThanDays: 30 }));
    assert.ok(!('confirmAbove' in plain) && !('maxFailures' in plain), JSON.stringify(plain));
    const raised = cleanupRequestSchema.parse({
      kind: 'pending-accounts',
      olderThanDays: 30,
      confirmAbove: 10_000,
    });
    assert.equal(
      toCleanupInput(raised, defaultCleanupPolicy).confirmAbove,
      defaultCleanupPolicy.confirmAbove,
    );
    assert.equal(cleanupWorkflowId(toCleanupInput(raised, defaultCleanupPolicy)), 'cleanup-pending-accounts');
    const window = toCleanupInput(
      cleanupRequestSchema.parse({
        kind: 'deactivated-users',
        deactivatedFrom: '2024-03-01',
        deactivatedBefore: '2024-04-01T12:00:00+02:00',
      }),
      defaultCleanupPolicy,
    );
    assert.equal(window.deactivatedFrom, '2024-03-01T00:00:00.000Z');
    assert.equal(window.deactivatedBefore, '2024-04-01T10:00:00.000Z');
  });

  it('reads back the IDs of bulk runs, and only those (the HTTP layer steers nothing else)', () => {
    const input = toPopulationLogoutInput(populationLogoutRequestSchema.parse({ groupId: 'g1' }));
    const id = populationLogoutWorkflowId(input);
    assert.deepEqual(parseBulkRunId(id), { kind: 'population-logout', dryRun: false });
    assert.deepEqual(parseBulkRunId(populationLogoutWorkflowId({ ...input, dryRun: true })), {
      kind: 'population-logout',
      dryRun: true,
    });
    const cleanup = toCleanupInput(
      cleanupRequestSchema.parse({ kind: 'pending-accounts', olderThanDays: 30 }),
      defaultCleanupPolicy,
    );
    assert.deepEqual(parseBulkRunId(cleanupWorkflowId(cleanup)), {
      kind: 'cleanup',
      cleanup: 'pending-accounts',
      dryRun: false,
      scheduled: false,
    });
    assert.deepEqual(parseBulkRunId(cleanupWorkflowId({ ...cleanup, dryRun: true }))?.dryRun, true);
    // The Schedule's runs: Temporal appends the scheduled time to the clean-up's ID.
    assert.deepEqual(parseBulkRunId('cleanup-pending-accounts-2027-01-31T03:00:00Z'), {
      kind: 'cleanup',
      cleanup: 'pending-accounts',
      dryRun: false,
      scheduled: true,
    });
    for (const other of [
      'onboarding-p-1',
      'population-logout-xyz',
      'cleanup-everyone',
      'cleanup-pending-accounts-../x',
      `${id}-and-more`,
    ]) {
      assert.equal(parseBulkRunId(other), undefined, other);
    }
  });

  it('selects a clean-up by filter text from the one filter module, fixed at the given time', () => {
    const now = Date.parse('2027-03-01T00:00:00.000Z');
    const pending = cleanupSelectionOf(
      toCleanupInput(
        cleanupRequestSchema.parse({ kind: 'pending-accounts', olderThanDays: 30 }),
        defaultCleanupPolicy,
      ),
      now,
    );
    assert.equal(pending.filter, 'created lt "2027-01-30T00:00:00.000Z"');
    assert.deepEqual(pending.criteria, { status: 'pending', createdBefore: '2027-01-30T00:00:00.000Z' });
    const window = cleanupSelectionOf(
      toCleanupInput(
        cleanupRequestSchema.parse({
          kind: 'deactivated-users',
          deactivatedFrom: '2024-03-01',
          deactivatedBefore: '2024-04-01',
        }),
        defaultCleanupPolicy,
      ),
      now,
    );
    assert.equal(
      window.filter,
      'deactivated ge "2024-03-01T00:00:00.000Z" and deactivated lt "2024-04-01T00:00:00.000Z"',
    );
  });
});
