/**
 * How the service notices that a new hire activated their account, besides the `activated` signal
 * an HR system may send: one activation sweep per interval asks Staffbase about all waiting people
 * in batches (workflows/activation-sweep.ts, about one request per 50 people), and each onboarding
 * keeps a status check of its own as the fallback — rare, because it costs one request per person.
 */

/** ACTIVATION_SWEEP_INTERVAL_MINUTES: an activation is noticed within this many minutes. */
export const DEFAULT_ACTIVATION_SWEEP_INTERVAL_MINUTES = 15;

/** ONBOARDING_STATUS_CHECK_INTERVAL_MINUTES: the per-run fallback, once a day. */
export const DEFAULT_STATUS_CHECK_INTERVAL_MINUTES = 24 * 60;
