/** Patches of the leave workflow (workflows/leave.ts); see test/replay and workflows/patches.ts. */
export const leavePatches = {
  /**
   * `leave-refuses-open-lifecycle` (issue 31): decided first thing in a run; the leave asks Temporal
   * (an activity on the workflow queue) whether the person's onboarding or offboarding that started
   * before it is open, and then ends `refused` without touching the account or the person index.
   */
  refusesOpenLifecycle: 'leave-refuses-open-lifecycle',
} as const;
