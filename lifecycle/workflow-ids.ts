/** Workflow IDs come from the person's externalID and the lifecycle: one open run per person and lifecycle. */
export type Lifecycle = 'onboarding' | 'offboarding';

export function lifecycleWorkflowId(lifecycle: Lifecycle, externalID: string): string {
  return `${lifecycle}-${externalID}`;
}
