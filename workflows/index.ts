/** Every workflow the worker runs (its workflowsPath). */
export { onboarding } from './onboarding';
export { offboarding } from './offboarding';
