/** Every workflow the worker runs (its workflowsPath). */
export { onboarding } from './onboarding';
export { offboarding } from './offboarding';
export { groupMembersLookup, mover, recoveryCode, userLogout, userLookup } from './support-single';
export { populationLogout } from './support-population-logout';
export { accountCleanup } from './support-cleanup';
export { directoryLookup } from './directory-lookup';
export { activationSweep } from './activation-sweep';
export { staffbaseEvent } from './staffbase-event';
export { offboardingLookupBatcher } from './lookup-batcher';
export { storeErase } from './store-erase';
export { lifecycleEventDispatcher } from './lifecycle-event-dispatcher';
export { leave } from './leave';
export { reconcile } from './reconcile';
export { reconcileErase } from './reconcile-erase';
