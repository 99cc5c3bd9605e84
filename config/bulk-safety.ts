/**
 * The safety threshold of population logouts (LOGOUT_CONFIRM_ABOVE), read by the processes that start
 * them (HR API, CLI): above it, a run waits for an explicit confirmation before anyone is logged out,
 * as clean-ups do before deleting. A request may lower it for one run, never raise it.
 */
import { z } from 'zod';
import { type PopulationLogoutPolicy } from '../lifecycle/support-requests';
import { parseEnv } from './config-error';
import { DEFAULT_LOGOUT_CONFIRM_ABOVE } from './defaults';
import { wholeNumber } from './env-rules';

export const BULK_SAFETY_ENV_VARS = ['LOGOUT_CONFIRM_ABOVE'] as const;

const schema = z.object({
  LOGOUT_CONFIRM_ABOVE: wholeNumber(0, 1_000_000).default(DEFAULT_LOGOUT_CONFIRM_ABOVE),
});

export function populationLogoutPolicyFromEnv(env: NodeJS.ProcessEnv): PopulationLogoutPolicy {
  return { confirmAbove: parseEnv(schema, env, BULK_SAFETY_ENV_VARS).LOGOUT_CONFIRM_ABOVE };
}
