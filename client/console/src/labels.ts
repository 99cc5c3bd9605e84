/** Stage and result names in HR's words; the API's names stay visible where they are filters. */
export const stageLabels: Record<string, string> = {
  scheduled: 'Scheduled',
  'creating-account': 'Creating the account',
  'awaiting-activation': 'Awaiting activation',
  'needs-attention': 'Needs attention',
  finishing: 'Finishing',
  'cancelling-onboarding': 'Cancelling the onboarding',
  'logging-out': 'Logging out',
  deactivating: 'Deactivating',
  retention: 'Retention (waiting to delete)',
  'on-hold': 'On legal hold',
  deleting: 'Deleting',
  reactivating: 'Reactivating',
  completed: 'Completed',
};

/** The stages HR filters by most, always shown with their count (also when 0). */
export const mainStages = ['scheduled', 'awaiting-activation', 'needs-attention', 'retention', 'on-hold'];

export const stageLabel = (stage: string | undefined): string =>
  stage ? (stageLabels[stage] ?? stage) : '—';

export const nextActionLabels: Record<string, string> = {
  'send-invitation': 'Invitation goes out',
  'send-reminder': 'Reminder goes out',
  'check-status': 'Next activation check',
  expire: 'Invitation expires',
};
