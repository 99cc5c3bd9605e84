import { type BulkSafetyConfig, defaultBulkSafetyConfig } from '../config/bulk-safety';

/**
 * The worker's own bulk thresholds (config/bulk-safety.ts), for the bulk workflows: read through an
 * activity, so the value a run used is in its history and replays the same after a configuration
 * change. Sends no Staffbase request: it runs on the workflow queue, off the tenant's rate limit.
 */
export function createBulkSafetyActivities(config: BulkSafetyConfig = defaultBulkSafetyConfig) {
  const limits: BulkSafetyConfig = { ...config };
  return {
    bulkSafetyLimits(): Promise<BulkSafetyConfig> {
      return Promise.resolve({ ...limits });
    },
  };
}

export type BulkSafetyActivities = ReturnType<typeof createBulkSafetyActivities>;
