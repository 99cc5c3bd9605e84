/** The interleavings model's verdicts on stories whose right answer is known (no servers). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allowedFinalStates, generateSequence, maxApiEffects, racingOrders, type StoryEvent } from './model';

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

  it('an account reactivated by hand while the deletion runs must be kept (the window is counted apart)', () => {
    assert.deepEqual(allowed(instruction('offboard'), byHand('manual-reactivate', 'deleting')), [
      'activated',
      'pending',
    ]);
    // Before our deactivation it is still ours to deactivate again and delete.
    assert.deepEqual(allowed(instruction('offboard'), byHand('manual-reactivate', 'logging-out')), [
      'absent',
      'activated',
      'pending',
    ]);
  });

  it('an onboarding left open by a cancelled offboarding may create the account afresh', () => {
    const story = [instruction('onboard-now'), instruction('offboard'), byHand('manual-delete')];
    assert.deepEqual(allowed(...story, instruction('cancel-offboarding')), [
      'absent',
      'activated',
      'pending',
    ]);
    // Without an open onboarding nothing brings it back.
    assert.deepEqual(allowed(...story.slice(1), instruction('cancel-offboarding')), ['absent']);
    assert.deepEqual(
      allowed(instruction('onboard-now'), instruction('cancel-onboarding'), ...story.slice(1)),
      ['absent'],
    );
  });

  it('withdrawing an offer after an offboarding started leaves the offboarding to decide', () => {
    const story = [instruction('onboard-now'), instruction('offboard'), instruction('cancel-onboarding')];
    assert.deepEqual(allowed(...story), ['absent']);
    // Reactivated by hand before the offboarding deactivated: it is still the offboarding's to delete.
    assert.deepEqual(allowed(...story, byHand('manual-reactivate', 'cancelling-onboarding')), [
      'absent',
      'activated',
      'pending',
    ]);
  });

  it('two racing instructions are allowed in either order, and only those', () => {
    const race = (name: Parameters<typeof instruction>[0]): StoryEvent => ({
      type: 'instruction',
      instruction: name,
      race: 3,
    });
    const story = [instruction('offboard'), race('legal-hold'), race('release-hold')];
    assert.equal(racingOrders(story).length, 2);
    assert.deepEqual(allowed(...story), ['absent', 'deactivated']);
    // Without the race the answer order is the order: released, so deleted.
    assert.deepEqual(
      allowed(instruction('offboard'), instruction('legal-hold'), instruction('release-hold')),
      ['absent'],
    );
    // Racing with a different id, or not next to each other, is not a pair.
    assert.equal(racingOrders([race('legal-hold'), instruction('offboard'), race('release-hold')]).length, 1);
  });

  it('bounds each effect of the API by the story', () => {
    assert.deepEqual(maxApiEffects([instruction('offboard')]), {
      created: 0,
      deleted: 1,
      deactivated: 1,
      reactivated: 0,
    });
    const rehire = [
      instruction('offboard'),
      byHand('manual-reactivate', 'retention'),
      instruction('onboard-now'),
    ];
    assert.deepEqual(maxApiEffects(rehire), { created: 1, deleted: 2, deactivated: 2, reactivated: 1 });
    assert.deepEqual(maxApiEffects([byHand('manual-deactivate')]), {
      created: 0,
      deleted: 0,
      deactivated: 0,
      reactivated: 0,
    });
  });

  it('generates racing pairs: two HR instructions for one person', () => {
    const pairs = Array.from({ length: 50 }, (_, seed) => generateSequence(seed).operations).flatMap(
      (operations) => operations.filter((operation, index) => operation.race === index),
    ).length;
    assert.ok(pairs > 0, 'some sequences race two instructions');
    for (let seed = 0; seed < 50; seed += 1) {
      const { operations } = generateSequence(seed);
      operations.forEach((operation, index) => {
        if (operation.race !== index) return;
        const rival = operations[index + 1];
        assert.equal(rival?.race, index, `seed ${seed}: the rival follows`);
        assert.equal(rival?.person, operation.person, `seed ${seed}: the same person`);
        assert.ok(!rival?.kind.startsWith('manual-') && rival?.kind !== 'user-accepts', `seed ${seed}: HR`);
      });
    }
  });

  it('the same seed gives the same sequence', () => {
    assert.deepEqual(generateSequence(42), generateSequence(42));
    assert.notDeepEqual(generateSequence(42), generateSequence(43));
  });
});
