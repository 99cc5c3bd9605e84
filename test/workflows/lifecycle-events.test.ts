/**
 * Outbound lifecycle events end to end (docs/events.md): real onboarding and offboarding runs on the
 * dev server against the simulator, their workers writing a real SQLite store, the dispatcher
 * workflow delivering over real HTTP to test subscribers that verify every signature — the first of
 * them failing its first three deliveries, so Temporal's retries and the per-person order are on trial.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildHttpApi } from '../../client/http/app';
import { deleteNow } from '../../client/lifecycle-actions';
import { defaultOffboardingPolicy } from '../../lifecycle/offboarding-request';
import { defaultOnboardingPolicy } from '../../lifecycle/onboarding-request';
import { startOffboarding, startOnboarding } from '../../client/lifecycle-runs';
import { type EventSubscriber, parseEventSubscribers } from '../../config/lifecycle-events';
import { type ParkedLifecycleEvent, parkedLifecycleEvents } from '../../client/lifecycle-event-retry';
import { eventMilestone, lifecycleEventId } from '../../lifecycle/lifecycle-event-message';
import type { LifecycleStore } from '../../store';
import { ensureLifecycleEventDispatcher } from '../../worker/lifecycle-event-dispatcher-start';
import { correctOnboardingUpdate } from '../../workflows/attention-messages';
import { LIFECYCLE_EVENT_DISPATCHER_ID } from '../../workflows/lifecycle-event-dispatcher';
import { onboardingActivatedSignal, onboardingStatusQuery } from '../../workflows/onboarding-messages';
import {
  type ReceivedEvent,
  startTestEventSubscriber,
  type TestEventSubscriber,
} from '../helpers/event-subscriber';
import { type LifecycleTestStack, startLifecycleTestStack } from '../helpers/lifecycle-stack';
import { seedLeaver } from '../helpers/offboarding-runs';
import { newHire, offboardingPolicy, onboardingPolicy, uniqueSuffix } from '../helpers/people';
import { type StoreDatabases, startStoreDatabases } from '../helpers/store-databases';
import { waitFor } from '../helpers/waiting';

const day = 86_400_000;
const API_KEY = 'k'.repeat(40);
const isoDate = (epochMs: number) => new Date(epochMs).toISOString().slice(0, 10);

/** Deduplicated by id (the first copy), in arrival order; every copy of an id carried the same body. */
function deduplicated(received: readonly ReceivedEvent[]): ReceivedEvent[] {
  const byId = new Map<string, ReceivedEvent>();
  for (const delivery of received) {
    const first = byId.get(delivery.webhookId);
    if (first) assert.equal(delivery.body, first.body, 'a redelivery carries the same message');
    else byId.set(delivery.webhookId, delivery);
  }
  return [...byId.values()];
}

const ofPerson = (received: readonly ReceivedEvent[], externalID: string) =>
  deduplicated(received).filter((delivery) => delivery.event.data.externalID === externalID);

describe('lifecycle events to subscribers (dev server, SQLite store, HTTP subscribers)', () => {
  let databases: StoreDatabases;
  let store: LifecycleStore;
  let stack: LifecycleTestStack;
  let flaky: TestEventSubscriber;
  let personal: TestEventSubscriber;
  let late: TestEventSubscriber;
  /** The workers' subscriber list: a test adds one later, as a redeploy with a new configuration would. */
  let configured: EventSubscriber[];

  before(async () => {
    flaky = await startTestEventSubscriber({ failFirst: 3 });
    personal = await startTestEventSubscriber({ failFirst: 0 });
    late = await startTestEventSubscriber({ failFirst: 0 });
    databases = await startStoreDatabases('sqlite');
    ({ store } = await databases.freshStore());
    configured = parseEventSubscribers(
      JSON.stringify([
        { id: 'flaky', url: flaky.url, secret: flaky.secret },
        {
          id: 'personal',
          url: personal.url,
          secret: personal.secret,
          types: ['com.staffbase-lifecycle.onboarding.*'],
          includePersonalData: true,
        },
      ]),
    );
    stack = await startLifecycleTestStack({
      server: 'dev-server',
      store,
      lifecycleEvents: { subscribers: configured, maxRetryHours: 1 },
    });
    await stack.startWorkers();
    // As production starts it: idle, it reads the outbox once a minute, so every event here arrives
    // within the test's waits only because the person index's write (and a retry) wakes it.
    assert.equal(await ensureLifecycleEventDispatcher(stack.env.client), 'started');
    // A second start finds the one dispatcher running.
    assert.equal(await ensureLifecycleEventDispatcher(stack.env.client), 'running');
  });
  after(async () => {
    await stack.env.client.workflow
      .getHandle(LIFECYCLE_EVENT_DISPATCHER_ID)
      .terminate('test over')
      .catch(() => undefined);
    await stack.terminateLeftoverRuns();
    await stack.close();
    await databases.stop();
    await Promise.all([flaky.close(), personal.close(), late.close()]);
  });

  /** Every milestone the index recorded for the person, as event milestones. */
  const indexMilestones = async (externalID: string) =>
    (await store.people.milestones(externalID)).map((milestone) => eventMilestone(milestone.kind)).sort();

  /** Waits until every event of the person's outbox stream for `subscriberId` is delivered. */
  const allDelivered = (subscriberId: string, externalID: string, count: number) =>
    waitFor(
      () => store.events.stream(subscriberId, externalID),
      (rows) => rows.length === count && rows.every((row) => row.status === 'delivered'),
      { what: `${count} events delivered to ${subscriberId}`, timeoutMs: 40_000, intervalMs: 200 },
    );

  const assertInOrderAndSigned = (
    subscriber: TestEventSubscriber,
    externalID: string,
    lifecycle: string,
    runId: string | undefined,
  ) => {
    assert.deepEqual(subscriber.rejected, [], 'every signature verified');
    const events = ofPerson(subscriber.accepted, externalID);
    // Per person, in sequence order without gaps: a held delivery let no later one overtake it.
    const sequences = events.map((delivery) => delivery.event.data.sequence);
    const first = Number(sequences[0]);
    assert.deepEqual(
      sequences,
      sequences.map((_, index) => first + index),
    );
    for (const { event, webhookId } of events) {
      assert.equal(event.specversion, '1.0');
      assert.equal(event.id, webhookId);
      assert.equal(event.type, `com.staffbase-lifecycle.${lifecycle}.${String(event.data.milestone)}`);
      assert.equal(event.data.runId, runId);
      assert.equal(event.data.lifecycle, lifecycle);
    }
    return events;
  };

  it('an onboarding through needs-attention, and an offboarding: every milestone, signed, in order, once', async () => {
    // The onboarding: a taken userName parks it, a correction resolves it, then the invitation and activation.
    const suffix = uniqueSuffix();
    await stack.control.seedUser({
      externalID: `someone-else-${suffix}`,
      userName: `taken.${suffix}`,
      firstName: 'Other',
      lastName: 'Person',
      emails: [{ value: `other.${suffix}@example.test`, primary: true }],
    });
    const hire = newHire({ userName: `taken.${suffix}` });
    const onboarding = stack.track(await startOnboarding(stack.env.client, hire, onboardingPolicy()));
    const onboardingHandle = stack.env.client.workflow.getHandle(onboarding.workflowId);
    await waitFor(
      () => onboardingHandle.query(onboardingStatusQuery),
      (status) => status.stage === 'needs-attention',
      { what: 'needs-attention', timeoutMs: 20_000 },
    );
    await onboardingHandle.executeUpdate(correctOnboardingUpdate, { args: [{ userName: `free.${suffix}` }] });
    await waitFor(
      () => onboardingHandle.query(onboardingStatusQuery),
      (status) => status.stage === 'awaiting-activation',
      { what: 'awaiting-activation', timeoutMs: 20_000 },
    );
    await onboardingHandle.signal(onboardingActivatedSignal, { source: 'test' });
    await onboardingHandle.result();

    // The offboarding: logged out and deactivated at once (last working day yesterday), then deleted.
    const leaver = await seedLeaver(stack.control, { sessions: 1 });
    const offboarding = stack.track(
      await startOffboarding(
        stack.env.client,
        {
          externalID: leaver.externalID,
          lastWorkingDay: isoDate(Date.now() - day),
          retentionDays: 30,
        },
        offboardingPolicy(),
      ),
    );
    await waitFor(
      () => store.people.person(leaver.externalID),
      (person) => person?.stage === 'retention',
      { what: 'the leaver in retention', timeoutMs: 20_000 },
    );
    await deleteNow(stack.env.client, leaver.externalID);
    await stack.env.client.workflow.getHandle(offboarding.workflowId).result();

    const onboardingMilestones = await indexMilestones(hire.externalID);
    const offboardingMilestones = await indexMilestones(leaver.externalID);
    for (const wanted of ['started', 'needs-attention', 'resolved', 'invited', 'activated'])
      assert.ok(onboardingMilestones.includes(wanted), `the onboarding reached ${wanted}`);
    for (const wanted of ['started', 'deactivated', 'deleted'])
      assert.ok(offboardingMilestones.includes(wanted), `the offboarding reached ${wanted}`);

    await allDelivered('flaky', hire.externalID, onboardingMilestones.length);
    await allDelivered('flaky', leaver.externalID, offboardingMilestones.length);
    await allDelivered('personal', hire.externalID, onboardingMilestones.length);

    assert.equal(flaky.failed, 3, 'the flaky subscriber refused its first three deliveries');
    const onboardingEvents = assertInOrderAndSigned(flaky, hire.externalID, 'onboarding', onboarding.runId);
    const offboardingEvents = assertInOrderAndSigned(
      flaky,
      leaver.externalID,
      'offboarding',
      offboarding.runId,
    );
    // Exactly once after deduplication: each milestone the index recorded, no more.
    assert.deepEqual(
      onboardingEvents.map((delivery) => String(delivery.event.data.milestone)).sort(),
      onboardingMilestones,
    );
    assert.deepEqual(
      offboardingEvents.map((delivery) => String(delivery.event.data.milestone)).sort(),
      offboardingMilestones,
    );
    // Held deliveries keep their place: the index's needs-attention comes before its resolution.
    const onboardingOrder = onboardingEvents.map((delivery) => delivery.event.data.milestone);
    assert.ok(onboardingOrder.indexOf('needs-attention') < onboardingOrder.indexOf('resolved'));
    assert.ok(onboardingOrder.indexOf('invited') < onboardingOrder.indexOf('activated'));
    const offboardingOrder = offboardingEvents.map((delivery) => delivery.event.data.milestone);
    assert.ok(offboardingOrder.indexOf('deactivated') < offboardingOrder.indexOf('deleted'));
    // No personal data for a subscriber that did not opt in.
    for (const { body } of flaky.accepted) {
      assert.ok(
        !body.includes(String(hire.lastName)) && !body.includes(String(hire.email)),
        'no name or email',
      );
    }

    // The opted-in subscriber: only the onboarding's types, with the person's names and email.
    assertInOrderAndSigned(personal, hire.externalID, 'onboarding', onboarding.runId);
    assert.deepEqual(ofPerson(personal.accepted, String(leaver.externalID)), [], 'no offboarding types');
    const activated = ofPerson(personal.accepted, hire.externalID).find(
      (delivery) => delivery.event.data.milestone === 'activated',
    );
    assert.equal(activated?.event.data.lastName, hire.lastName);
    assert.equal(activated?.event.data.email, hire.email);
  });

  it('a delivery that cannot succeed is parked, holds the person’s later events, and goes out in order once retried', async () => {
    const externalID = `parked-${uniqueSuffix()}`;
    const runId = `run-${uniqueSuffix()}`;
    // Two milestones for a subscriber this worker does not know (yet): its delivery fails for good at once.
    for (const [kind, at] of [
      ['deactivated', '2026-12-07T10:00:00.000Z'],
      ['deleted', '2026-12-07T10:05:00.000Z'],
    ] as const) {
      await store.people.recordMilestone({
        externalID,
        runId,
        kind,
        at,
        event: {
          eventId: lifecycleEventId(runId, kind, at),
          lifecycle: 'offboarding',
          milestone: kind,
          subscriberIds: ['late'],
        },
      });
    }
    const parked = await waitFor(
      () => parkedLifecycleEvents(store),
      (events) => events.some((event) => event.externalID === externalID),
      { what: 'the parked delivery', timeoutMs: 20_000, intervalMs: 200 },
    );
    const mine = parked.filter((event) => event.externalID === externalID);
    assert.equal(mine.length, 1, 'only the head is parked');
    assert.equal(mine[0]?.milestone, 'deactivated');
    assert.match(String(mine[0]?.failure), /SubscriberNotConfigured/);
    const held = await store.events.stream('late', externalID);
    assert.deepEqual(
      held.map((row) => [row.milestone, row.status]),
      [
        ['deactivated', 'parked'],
        ['deleted', 'pending'],
      ],
      'the later event waits behind the parked one',
    );

    // The HR API shows it in needs-attention, and retries it from there.
    const api = buildHttpApi({
      temporalClient: stack.env.client,
      store,
      policies: { onboarding: defaultOnboardingPolicy, offboarding: defaultOffboardingPolicy },
      apiKey: API_KEY,
    });
    const call = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
      api.inject({
        method,
        url,
        headers: { authorization: `Bearer ${API_KEY}` },
        ...(payload !== undefined && { payload: payload as Record<string, unknown> }),
      });
    const listed = await call('GET', '/v1/lifecycle-events/parked');
    assert.equal(listed.statusCode, 200, listed.body);
    const parkedViaApi = listed.json<{ parked: ParkedLifecycleEvent[] }>().parked;
    assert.deepEqual(
      parkedViaApi.filter((event) => event.externalID === externalID).map((event) => event.eventId),
      [mine[0]?.eventId],
    );
    const badRetry = await call('POST', '/v1/lifecycle-events/retry', { eventId: 'x', colour: 1 });
    assert.equal(badRetry.statusCode, 400, badRetry.body);
    assert.match(badRetry.body, /eventId/);
    assert.equal((await store.events.stream('late', externalID))[0]?.status, 'parked', 'nothing retried');

    // The subscriber is configured now; a retry from needs-attention delivers both, in order.
    configured.push(
      ...parseEventSubscribers(JSON.stringify([{ id: 'late', url: late.url, secret: late.secret }])),
    );
    const retry = await call('POST', '/v1/lifecycle-events/retry', { subscriberId: 'late' });
    assert.equal(retry.statusCode, 200, retry.body);
    assert.deepEqual(retry.json(), { action: 'retry-lifecycle-events', retried: 1, dispatcher: 'woken' });
    await api.close();
    await allDelivered('late', externalID, 2);
    assert.deepEqual(late.rejected, []);
    assert.deepEqual(
      ofPerson(late.accepted, externalID).map((delivery) => [
        delivery.event.data.milestone,
        delivery.event.data.sequence,
      ]),
      [
        ['deactivated', 1],
        ['deleted', 2],
      ],
    );
    assert.deepEqual(
      (await parkedLifecycleEvents(store)).filter((event) => event.externalID === externalID),
      [],
    );
  });
});
