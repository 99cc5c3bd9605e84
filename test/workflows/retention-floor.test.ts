import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { changeRetention, deleteNow } from '../../client/lifecycle-actions';
import { startOffboarding } from '../../client/lifecycle-runs';
import type { AuditRecord } from '../../lifecycle/audit/audit-record';
import type { OffboardingRequest } from '../../lifecycle/offboarding-request';
import {
  type OffboardingOutcome,
  type OffboardingStatus,
  offboardingStatusQuery,
} from '../../workflows/offboarding-messages';
import { type LifecycleTestStack, useLifecycleTestStack } from '../helpers/lifecycle-stack';
import { offboardingPolicy, uniqueSuffix } from '../helpers/people';
import { waitFor } from '../helpers/waiting';

const day = 86_400_000;

/**
 * The worker's retention floor (OFFBOARDING_MIN_RETENTION_DAYS = 1 here): a start or retention change
 * that reaches Temporal without the HTTP API's checks (here the raw client, as the Temporal UI or a
 * gRPC caller would) is raised to the floor, and each raise is an audit line of the worker.
 */
describe('offboarding retention floor (time-skipping server, real activities, floor from the worker)', () => {
  let stack: LifecycleTestStack;
  const audits: AuditRecord[] = [];
  useLifecycleTestStack(
    {
      server: 'time-skipping',
      longLivedWorkers: true,
      resetSimulatorBeforeEach: true,
      offboardingMinRetentionDays: 1,
      audit: (record) => audits.push(record),
    },
    (started) => (stack = started),
  );

  async function employee(): Promise<string> {
    const id = uniqueSuffix();
    await stack.control.seedUser({
      externalID: `floor-${id}`,
      userName: `floor.${id}`,
      emails: [{ value: `floor.${id}@example.test`, primary: true }],
      status: 'activated',
    });
    return `floor-${id}`;
  }
  const start = async (request: OffboardingRequest) =>
    stack.track(await startOffboarding(stack.env.client, request, offboardingPolicy()));
  const inRetention = (workflowId: string) =>
    waitFor(
      () => stack.env.client.workflow.getHandle(workflowId).query(offboardingStatusQuery),
      (status) => status.stage === 'retention',
      { what: 'stage retention' },
    );
  const raisesOf = (externalID: string) =>
    audits.filter(
      (record) => record.event === 'retention-raised-to-floor' && record.externalID === externalID,
    );
  const retentionMs = (status: Pick<OffboardingStatus, 'deleteAt' | 'deactivatedAt'>) =>
    Date.parse(status.deleteAt ?? '') - Date.parse(status.deactivatedAt ?? '');

  it('raises a start with retentionDays 0 to the floor, audits it, and deletes only after the floor', async () => {
    const externalID = await employee();
    const run = await start({ externalID, retentionDays: 0 });
    const retention = await inRetention(run.workflowId);
    assert.equal(retentionMs(retention), 1 * day, 'deleteAt = deactivation + the floor, not + 0');
    assert.equal((await stack.control.user(externalID))?.status, 'deactivated', 'not deleted at once');

    const [raise, ...more] = raisesOf(externalID);
    assert.equal(more.length, 0);
    assert.equal(raise?.via, 'worker');
    assert.equal(raise?.workflowId, run.workflowId);
    assert.equal(raise?.outcome, 'raised-to-floor');
    assert.match(raise?.reason ?? '', /retentionDays 0 is below OFFBOARDING_MIN_RETENTION_DAYS=1/);
    assert.ok(typeof raise?.staffbaseUserId === 'string');

    const outcome = (await stack.env.client.workflow
      .getHandle(run.workflowId)
      .result()) as OffboardingOutcome;
    assert.equal(outcome.result, 'deleted');
    assert.ok(
      Date.parse(outcome.deletedAt ?? '') - Date.parse(outcome.deactivatedAt ?? '') >= 1 * day,
      'the deletion waited for the floor',
    );
    assert.equal(await stack.control.user(externalID), undefined);
  });

  it('raises a retention change below the floor, a past deleteAt too; delete-now is not bound by it', async () => {
    const externalID = await employee();
    const run = await start({ externalID, retentionDays: 30 });
    const retention = await inRetention(run.workflowId);
    assert.equal(retentionMs(retention), 30 * day);
    assert.deepEqual(raisesOf(externalID), [], 'nothing to raise at 30 days');

    const zeroDays = await changeRetention(stack.env.client, externalID, { retentionDays: 0 });
    assert.equal(retentionMs(zeroDays), 1 * day);
    const pastMoment = await changeRetention(stack.env.client, externalID, {
      deleteAt: '2001-01-01T00:00:00Z',
    });
    assert.equal(retentionMs(pastMoment), 1 * day);
    await waitFor(
      () => Promise.resolve(raisesOf(externalID)),
      (raises) => raises.length === 2,
      { what: 'two audited raises' },
    );
    assert.match(raisesOf(externalID)[1]?.reason ?? '', /deleteAt 2001-01-01T00:00:00.000Z is below/);
    assert.equal((await stack.control.user(externalID))?.status, 'deactivated');

    // Delete-now is the support key's own act (the HTTP API audits who asked): not held by the floor.
    await deleteNow(stack.env.client, externalID);
    const outcome = (await stack.env.client.workflow
      .getHandle(run.workflowId)
      .result()) as OffboardingOutcome;
    assert.equal(outcome.result, 'deleted');
    assert.ok(Date.parse(outcome.deletedAt ?? '') - Date.parse(outcome.deactivatedAt ?? '') < 1 * day);
    assert.equal(raisesOf(externalID).length, 2, 'delete-now is no raise');
  });
});
