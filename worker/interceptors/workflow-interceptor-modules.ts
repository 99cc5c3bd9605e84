/**
 * The workflow interceptor modules every bundle of workflows/ carries: the production bundle, a
 * worker that bundles on start, and the tests' bundles (test/helpers/temporal.ts).
 */
export const workflowInterceptorModules: string[] = [
  require.resolve('../../workflows/update-ordering-guard'),
  // Refuses input the strict payload codec found unencrypted (LIFECYCLE_ENCRYPTION=on).
  require.resolve('../../workflows/unencrypted-input-guard'),
];
