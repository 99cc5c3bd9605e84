/**
 * What the cluster test does and measures through the public edges: onboardings through the HR API,
 * worker identities from the server's histories, and request rates from the simulator's call log.
 */
import { type Client } from '@temporalio/client';
import { lifecycleWorkflowId } from '../../../lifecycle/workflow-ids';
import { type CallRecord } from '../../../simulator/control-client';
import { type LifecycleCluster } from './lifecycle-cluster';

const CONCURRENT_REQUESTS = 8;

/**
 * POSTs one onboarding per person (8 at a time); runs `halfway` once half of them are accepted, with a
 * function that tells how many are accepted by then.
 */
export async function onboardThroughApi(
  cluster: LifecycleCluster,
  people: readonly string[],
  { halfway }: { halfway: (accepted: () => number) => Promise<void> },
): Promise<void> {
  let next = 0;
  let accepted = 0;
  let halfwayDone: Promise<void> | undefined;
  const post = async (externalID: string): Promise<void> => {
    const response = await fetch(`${cluster.apiUrl}/v1/onboardings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${cluster.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        externalID,
        userName: `${externalID}.user`,
        firstName: 'Cluster',
        lastName: externalID,
        email: `${externalID}@example.test`,
      }),
    });
    if (response.status !== 202) {
      throw new Error(`POST /v1/onboardings for ${externalID}: ${response.status} ${await response.text()}`);
    }
    accepted += 1;
  };
  const lane = async (): Promise<void> => {
    while (next < people.length) {
      const person = people[next] ?? '';
      next += 1;
      await post(person);
      if (accepted === Math.floor(people.length / 2)) halfwayDone ??= halfway(() => accepted);
      // The other half goes in while the kill happens, as a deploy would meet it.
    }
  };
  await Promise.all(Array.from({ length: CONCURRENT_REQUESTS }, lane));
  await halfwayDone;
}

/** Identities of the workers that started the people's onboarding activities (from their histories). */
export async function activityIdentities(client: Client, people: readonly string[]): Promise<Set<string>> {
  const identities = new Set<string>();
  for (const person of people) {
    let history;
    try {
      history = await client.workflow.getHandle(lifecycleWorkflowId('onboarding', person)).fetchHistory();
    } catch {
      continue; // not started yet
    }
    for (const event of history.events ?? []) {
      const identity = event.activityTaskStartedEventAttributes?.identity;
      if (identity) identities.add(identity);
    }
  }
  return identities;
}

/** The most Staffbase API calls that arrived within any window of `windowMs`. */
export function maxCallsInAnyWindow(calls: readonly CallRecord[], windowMs: number): number {
  const times = calls.map((call) => Date.parse(call.time)).sort((a, b) => a - b);
  let most = 0;
  let start = 0;
  for (let end = 0; end < times.length; end += 1) {
    while ((times[end] ?? 0) - (times[start] ?? 0) >= windowMs) start += 1;
    most = Math.max(most, end - start + 1);
  }
  return most;
}
