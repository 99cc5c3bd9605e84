import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cleanupSkipOf, openRunsOfPersonQuery, type OpenPersonRun } from '../../lifecycle/cleanup-holds';
import {
  devServerSearchAttributeArgs,
  legalHoldSearchAttribute,
  lifecycleSearchAttributes,
  searchAttributeCliType,
} from '../../lifecycle/search-attributes';
import { cleanupVerdict, type CleanupCandidateRead } from '../../lifecycle/support-guards';

const run = (workflowType: string, legalHold = false): OpenPersonRun => ({
  workflowType,
  workflowId: `${workflowType}-emp-1`,
  legalHold,
});

describe('why a clean-up skips a person’s account (cleanupSkipOf)', () => {
  it('no open run, or only runs that hold nothing (support runs): no reason', () => {
    assert.equal(cleanupSkipOf([]), undefined);
    assert.equal(cleanupSkipOf([run('mover'), run('userLogout'), run('accountCleanup')]), undefined);
  });

  it('names each reason and the run that holds the account', () => {
    assert.deepEqual(cleanupSkipOf([run('offboarding', true)]), {
      reason: 'legal-hold',
      workflowId: 'offboarding-emp-1',
    });
    assert.equal(cleanupSkipOf([run('offboarding')])?.reason, 'in-retention');
    assert.equal(cleanupSkipOf([run('onboarding')])?.reason, 'onboarding-open');
    assert.equal(cleanupSkipOf([run('leave')])?.reason, 'on-leave');
  });

  it('a legal hold outranks the rest, whatever order visibility lists the runs in', () => {
    const runs = [run('onboarding'), run('leave'), run('offboarding', true), run('offboarding')];
    assert.equal(cleanupSkipOf(runs)?.reason, 'legal-hold');
    assert.equal(cleanupSkipOf([...runs].reverse())?.reason, 'legal-hold');
    assert.equal(cleanupSkipOf([run('onboarding'), run('offboarding')])?.reason, 'in-retention');
  });

  it('a LegalHold flag on anything but an offboarding is not a legal hold', () => {
    assert.equal(cleanupSkipOf([run('onboarding', true)])?.reason, 'onboarding-open');
    assert.equal(cleanupSkipOf([run('mover', true)]), undefined);
  });
});

describe('the visibility query of a person’s open runs', () => {
  it('matches the externalID exactly, open runs only, with quotes and backslashes escaped', () => {
    assert.equal(
      openRunsOfPersonQuery('emp-42'),
      "StaffbaseExternalId = 'emp-42' AND ExecutionStatus = 'Running'",
    );
    assert.equal(
      openRunsOfPersonQuery("o'brien\\x"),
      "StaffbaseExternalId = 'o\\'brien\\\\x' AND ExecutionStatus = 'Running'",
    );
  });
});

describe('search attributes are registered with their types', () => {
  it('LegalHold is a Bool; the dev server gets Name=Type for every attribute', () => {
    assert.equal(searchAttributeCliType(legalHoldSearchAttribute), 'Bool');
    const args = devServerSearchAttributeArgs();
    assert.deepEqual(args, [
      '--search-attribute',
      'StaffbaseExternalId=Keyword',
      '--search-attribute',
      'LifecycleStage=Keyword',
      '--search-attribute',
      'AttentionCode=Keyword',
      '--search-attribute',
      'LegalHold=Bool',
      '--search-attribute',
      'StaffbaseUserId=Keyword',
    ]);
    assert.equal(args.length, 2 * lifecycleSearchAttributes.length);
  });
});

describe('a clean-up deletion on a person check (cleanupVerdict with checkedExternalID)', () => {
  const criteria = {
    status: 'deactivated' as const,
    deactivatedFrom: '2026-01-01',
    deactivatedBefore: '2026-02-01',
  };
  const readOf = (externalID?: string): CleanupCandidateRead => ({
    result: 'found',
    readAt: 1,
    account: {
      staffbaseUserId: 'u1',
      status: 'deactivated',
      deactivated: '2026-01-10T00:00:00.000Z',
      ...(externalID !== undefined && { externalID }),
    },
  });
  const target = { staffbaseUserId: 'u1', ...criteria };

  it('deletes only while the account still belongs to the person whose runs were checked', () => {
    assert.equal(cleanupVerdict(readOf('emp-1'), { ...target, checkedExternalID: 'emp-1' }), 'delete');
    assert.equal(
      cleanupVerdict(readOf('emp-2'), { ...target, checkedExternalID: 'emp-1' }),
      'no-longer-matching',
    );
    assert.equal(cleanupVerdict(readOf(), { ...target, checkedExternalID: 'emp-1' }), 'no-longer-matching');
  });

  it('an account checked as having no person must still have none', () => {
    assert.equal(cleanupVerdict(readOf(), { ...target, checkedExternalID: null }), 'delete');
    assert.equal(
      cleanupVerdict(readOf('emp-9'), { ...target, checkedExternalID: null }),
      'no-longer-matching',
    );
  });

  it('without a person check (runs before the patch) the externalID is not compared', () => {
    assert.equal(cleanupVerdict(readOf('emp-2'), target), 'delete');
  });
});
