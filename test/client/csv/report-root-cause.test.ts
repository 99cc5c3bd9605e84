import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { parseImportFile } from '../../../client/csv/parse-import';
import { reportAsCsv, rowDetail } from '../../../client/csv/report';
import { type ImportOutcome, type RowResult, runImport } from '../../../client/csv/run-import';
import { lifecycleWorkflowId } from '../../../lifecycle/workflow-ids';
import { defaultOffboardingPolicy } from '../../../lifecycle/offboarding-request';
import { defaultOnboardingPolicy } from '../../../lifecycle/onboarding-request';
import { uniqueSuffix } from '../../helpers/people';
import { startDevServerEnvironment } from '../../helpers/temporal';

/**
 * The import report names why a person's earlier run failed — its innermost cause, e.g. Staffbase's own
 * words — instead of only "earlier run FAILED" (#14).
 */

const policies = { onboarding: defaultOnboardingPolicy, offboarding: defaultOffboardingPolicy };
const cause = 'userName: a user with userName "ada" already exists';

describe('import report: root cause of an earlier failed run', () => {
  it('shows the earlier run’s cause in the detail cell, and the bare status only without one', () => {
    const failed: RowResult = {
      row: 2,
      externalID: 'emp-1',
      result: 'already-completed',
      workflowId: 'onboarding-emp-1',
      closedStatus: 'FAILED',
      failure: cause,
    };
    assert.equal(rowDetail(failed), `earlier run FAILED: ${cause}`);
    assert.equal(
      rowDetail({ ...failed, failure: undefined, closedStatus: 'COMPLETED' }),
      'earlier run COMPLETED',
    );
    const outcome: ImportOutcome = {
      lifecycle: 'onboarding',
      dryRun: false,
      strict: false,
      rerun: false,
      summary: {
        started: 0,
        alreadyRunning: 0,
        alreadyCompleted: 1,
        wouldStart: 0,
        rejected: 0,
        skipped: 0,
        refused: 0,
        failed: 0,
      },
      rows: [failed],
    };
    const line = reportAsCsv(outcome).split('\r\n')[1] ?? '';
    assert.ok(line.endsWith(`"earlier run FAILED: ${cause.replace(/"/g, '""')}"`), line);
  });

  describe('against the dev server', () => {
    let env: TestWorkflowEnvironment;
    before(async () => {
      env = await startDevServerEnvironment();
    });
    after(async () => {
      await env?.teardown();
    });

    it('a dry run reads the innermost cause of the person’s earlier run that did not complete', async () => {
      const externalID = `rc-${uniqueSuffix()}`;
      const workflowId = lifecycleWorkflowId('onboarding', externalID);
      // No worker polls this queue: the run waits until it is ended with a reason (the innermost cause;
      // the wrapper says only "Workflow execution terminated").
      const handle = await env.client.workflow.start('onboarding', {
        taskQueue: `no-worker-${uniqueSuffix()}`,
        workflowId,
        args: [{}],
      });
      await handle.terminate(cause);

      const parsed = parseImportFile(
        `externalID,userName,firstName,lastName,email\n${externalID},ada,Ada,Lovelace,ada@example.test\n`,
        'onboarding',
      );
      const outcome = await runImport(env.client, parsed, policies, { dryRun: true });
      const row = outcome.rows[0];
      assert.equal(row?.result, 'would-start');
      assert.equal(row?.closedStatus, 'TERMINATED');
      assert.equal(row?.failure, cause);
      assert.ok(!reportAsCsv(outcome).includes('Workflow execution terminated'));
      assert.match(
        reportAsCsv(outcome),
        /earlier run TERMINATED: userName: a user with userName ""ada"" already/,
      );
    });
  });
});
