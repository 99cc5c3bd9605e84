/**
 * The worker's retention floor (OFFBOARDING_MIN_RETENTION_DAYS), handed to offboarding runs through
 * an activity: the value is recorded in the run's history, so a replay on a worker configured
 * differently decides exactly as the original did. No Staffbase request: these run on the workflow
 * queue, off the tenant's rate limit.
 */

/** A deletion moment the run raised to the floor: identifiers and dates only, never a name. */
export interface RetentionFloorRaise {
  externalID: string;
  staffbaseUserId?: string;
  /** What the start or the retention change asked for. */
  requested: { retentionDays: number } | { deleteAt: string };
  minRetentionDays: number;
  /** The deletion moment after the raise (deactivation + the floor). */
  deleteAt: string;
}

export function createRetentionFloorActivities(minRetentionDays: number) {
  return {
    /** The floor this worker enforces, in whole days after the deactivation. */
    async offboardingRetentionFloor(): Promise<{ minRetentionDays: number }> {
      return Promise.resolve({ minRetentionDays });
    },

    /**
     * Records that a run raised a deletion to the floor. Its work is the audit line the worker's
     * audit interceptor writes around it (`retention-raised-to-floor`), from this result.
     */
    async recordRetentionRaisedToFloor(
      raise: RetentionFloorRaise,
    ): Promise<{ result: 'raised-to-floor'; auditReason: string }> {
      const asked =
        'retentionDays' in raise.requested
          ? `retentionDays ${raise.requested.retentionDays}`
          : `deleteAt ${raise.requested.deleteAt}`;
      return Promise.resolve({
        result: 'raised-to-floor',
        auditReason: `${asked} is below OFFBOARDING_MIN_RETENTION_DAYS=${raise.minRetentionDays}; deletion at ${raise.deleteAt}`,
      });
    },
  };
}

export type RetentionFloorActivities = ReturnType<typeof createRetentionFloorActivities>;
