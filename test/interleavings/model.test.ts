/** The interleavings model's verdicts on stories whose right answer is known (no servers). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allowedFinalStates, generateSequence, type StoryEvent } from './model';

const instruction = (name: Extract<StoryEvent, { type: 'instruction' }>['instruction']): StoryEvent => ({
  type: 'instruction',
  instruction: name,
});
const byHand = (
  action: Extract<StoryEvent, { type: 'manual' }>['action'],
  offboardingStage?: string,
): StoryEvent => ({ type: 'manual', action, offboardingStage });
const allowed = (...story: StoryEvent[]) => [...allowedFinalStates('activated', story)].sort();

describe('interleavings model', () => {
  it('a leaver is deleted; a rehire is kept', () => {
    assert.deepEqual(allowed(instruction('offboard')), ['absent']);
    assert.deepEqual(allowed(instruction('offboard'), instruction('onboard-now')), ['activated', 'pending']);
  });

  it('an account reactivated by hand after our deactivation must be kept', () => {
    const story = [instruction('offboard'), byHand('manual-reactivate', 'retention')];
    assert.deepEqual(allowed(...story), ['activated', 'pending']);
    // ... also when a hold or a retention change comes afterwards: they only move the deletion.
    assert.deepEqual(allowed(...story, instruction('legal-hold')), ['activated', 'pending']);
    assert.deepEqual(allowed(...story, instruction('change-retention')), ['activated', 'pending']);
  });

  it('a hold keeps the account deactivated, a release lets the deletion go on', () => {
    assert.deepEqual(allowed(instruction('offboard'), instruction('legal-hold')), ['deactivated']);
    assert.deepEqual(
      allowed(instruction('offboard'), instruction('legal-hold'), instruction('change-retention')),
      ['deactivated'],
    );
    assert.deepEqual(
      allowed(instruction('offboard'), instruction('legal-hold'), instruction('release-hold')),
      ['absent'],
    );
  });

  it('the same seed gives the same sequence', () => {
    assert.deepEqual(generateSequence(42), generateSequence(42));
    assert.notDeepEqual(generateSequence(42), generateSequence(43));
  });
});
