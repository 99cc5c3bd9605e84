import { type Client } from '@temporalio/client';
import { type z } from 'zod';
import { type LifecyclePolicies } from '../../../config/policies';
import { type StartedRun } from '../../lifecycle-runs';
import { startAudit } from '../../person-act-audits';
import { lifecycleRuns } from '../action-modules';
import { type CliIo, type CommandContext } from '../context';
import { startedRunText } from '../format';
import { requestFromFlags, withContext } from '../parsing';

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
  await ctx.auditIf(startAudit(run, externalID));
  return { run, policies };
}

/** The options of a start command beside the request's own flags. */
interface StartCommandOptions {
  externalId?: string;
  fromJson?: string;
  rerun?: boolean;
}

/** What one start command adds to the shared steps: its request, its flags, its start. */
export interface StartCommand<Request extends { externalID: string }, Options extends StartCommandOptions> {
  request: { schema: z.ZodType<Request>; what: string; flagOf: Record<string, string> };
  /** The request fields the flags give (undefined: not given); `fromJson` for fields that merge. */
  flags: (options: Options, fromJson: Record<string, unknown>) => Record<string, unknown>;
  start: (
    runs: LifecycleRuns,
    client: Client,
    policies: LifecyclePolicies,
    request: Request,
    options: { rerun: boolean },
  ) => Promise<StartedRun>;
  /** Runs after the start is audited and before the run is printed. */
  afterStart?: (
    ctx: CommandContext,
    request: Request,
    run: StartedRun,
    policies: LifecyclePolicies,
  ) => Promise<void>;
}

/**
 * The action of `onboard` and `offboard`: the request from --from-json and the flags, the run started
 * and audited (startAudited), the command's `afterStart`, and the started (or open) run printed.
 */
export function startCommandAction<
  Request extends { externalID: string },
  Options extends StartCommandOptions,
>(
  io: CliIo,
  state: { exitCode: number },
  command: StartCommand<Request, Options>,
): (...args: unknown[]) => Promise<void> {
  return withContext(io, state, async (ctx, externalID: string | undefined, options: Options) => {
    const request = await requestFromFlags(ctx, externalID, options, command.request, (fromJson) =>
      command.flags(options, fromJson),
    );
    const { run, policies } = await startAudited(ctx, request.externalID, (runs, client, policies) =>
      command.start(runs, client, policies, request, { rerun: options.rerun === true }),
    );
    await command.afterStart?.(ctx, request, run, policies);
    ctx.result({ externalID: request.externalID, ...run }, startedRunText(run, request.externalID));
  });
}
