import { type Client } from '@temporalio/client';
import { type LifecyclePolicies } from '../../../config/policies';
import { type StartedRun } from '../../lifecycle-runs';
import { startAudit } from '../../person-act-audits';
import { lifecycleRuns } from '../action-modules';
import { type CommandContext } from '../context';

type LifecycleRuns = Awaited<ReturnType<typeof lifecycleRuns>>;

/**
 * What `onboard` and `offboard` share once the request is valid: the run started with the configured
 * policies (ONBOARDING_*, OFFBOARDING_*), and the start audited (not a run that already completed).
 */
export async function startAudited(
  ctx: CommandContext,
  externalID: string,
  start: (runs: LifecycleRuns, client: Client, policies: LifecyclePolicies) => Promise<StartedRun>,
): Promise<{ run: StartedRun; policies: LifecyclePolicies }> {
  const policies = await ctx.policies();
  const runs = await lifecycleRuns();
  const run = await start(runs, await ctx.client(), policies);
  ctx.auditIf(startAudit(run, externalID));
  return { run, policies };
}
