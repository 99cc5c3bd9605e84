/**
 * Patches of the bulk runs (population logout, clean-ups; see test/replay). Each is evaluated once,
 * at the start of a run, so one run takes one path throughout.
 *
 * `bulk-service-thresholds`: the run reads the worker's thresholds (LOGOUT_CONFIRM_ABOVE,
 * CLEANUP_CONFIRM_ABOVE, BULK_MAX_FAILURES) through the `bulkSafetyLimits` activity and applies the
 * lower of those and the input's; the `confirmDeletions` signal is ignored outside phase
 * `awaiting-confirmation` (the `confirm` update's validator refuses it there). Runs started before
 * keep the input's thresholds and accept the signal in any phase.
 */
export const bulkPatches = {
  serviceThresholds: 'bulk-service-thresholds',
} as const;
