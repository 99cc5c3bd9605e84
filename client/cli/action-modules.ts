/**
 * The client modules the commands act through, each loaded by the first action that needs it and
 * never at start: they bring the Temporal client, and `--help` stays fast.
 */
export const attentionActions = () => import('../attention-actions.js');
export const lifecycleActions = () => import('../lifecycle-actions.js');
export const lifecycleRuns = () => import('../lifecycle-runs.js');
export const leaveRuns = () => import('../leave-runs.js');
export const retentionChange = () => import('../retention-change.js');
export const supportRuns = () => import('../support-runs.js');
