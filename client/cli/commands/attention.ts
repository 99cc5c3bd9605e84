import { type Command, Option } from 'commander';
import { type AttentionAnswer, type AttentionCode, attentionCodes } from '../../../lifecycle/attention';
import { type BulkRetryItem, type BulkRetrySummary } from '../../attention-actions';
import { lifecycleWorkflowId } from '../../../lifecycle/workflow-ids';
import { bulkRetryAudits } from '../../person-act-audits';
import { attentionActions } from '../action-modules';
import { type CliIo } from '../context';
import { ExitCode } from '../exit-codes';
import { table } from '../format';
import { onboardingPersonFlags } from '../person-flags';
import { defined, invalidInput, positiveWholeNumber, withContext } from '../parsing';

interface RetryOptions {
  all?: boolean;
  code?: AttentionCode;
  dryRun?: boolean;
  concurrency?: number;
}

/** The flag behind each correctable field, so that errors name both. */
const flagOf: Record<string, string> = {
  userName: '--user-name',
  email: '--email',
  firstName: '--first-name',
  lastName: '--last-name',
  groupIDs: '--group',
  locale: '--locale',
  profile: '--profile',
  '(input)':
    'give at least one of --user-name, --email, --first-name, --last-name, --group, --locale, --profile',
};

interface CorrectOptions {
  userName?: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  group?: string[];
  locale?: string;
  profile?: Record<string, string>;
}

/** "resolved: the run goes on (stage awaiting-activation)" or what is still wrong. */
export function attentionAnswerText(what: string, answer: AttentionAnswer): string {
  if (answer.result === 'resolved') return `${what}: resolved, the run goes on (stage ${answer.stage}).`;
  if ((answer.result as string) === 'run-ended') {
    return `${what}: the run had stopped waiting meanwhile (stage ${answer.stage}); nothing was retried.`;
  }
  const reason = answer.attention;
  return (
    `${what}: still needs attention (stage ${answer.stage})` +
    (reason
      ? ` — ${reason.code}${reason.field ? ` on ${reason.field}` : ''} at step ${reason.step}: ${reason.message}`
      : '.')
  );
}

function itemText(item: BulkRetryItem): string {
  const where = `${item.lifecycle} ${item.externalID}`;
  switch (item.result) {
    case 'resolved':
      return `${where}: resolved (stage ${item.answer?.stage ?? '?'})`;
    case 'still-needs-attention':
      return `${where}: still needs attention${item.answer?.attention ? ` (${item.answer.attention.code}: ${item.answer.attention.message})` : ''}`;
    case 'not-waiting':
      return `${where}: no longer waiting (corrected, retried or closed meanwhile)`;
    case 'failed':
      return `${where}: FAILED: ${item.error ?? 'unknown error'}`;
    case 'would-retry':
      return `${where}: would retry (${item.code ?? 'any code'})`;
  }
}

export function bulkRetryText(summary: BulkRetrySummary): string[] {
  if (summary.dryRun) {
    const lines =
      summary.found === 0
        ? ['No run waits in needs-attention for this filter.']
        : table(
            ['LIFECYCLE', 'EXTERNAL ID', 'CODE', 'WORKFLOW ID'],
            summary.runs.map((run) => [run.lifecycle, run.externalID, run.code ?? '', run.workflowId]),
          );
    return [
      ...lines,
      '',
      `dry run: would retry ${summary.found} run(s); nothing was retried.`,
      `Temporal UI / \`temporal workflow list --query\`: ${summary.query}`,
    ];
  }
  return [
    `retried ${summary.found}: resolved ${summary.resolved}, still waiting ${summary.stillWaiting}, ` +
      `no longer waiting ${summary.notWaiting}, failed ${summary.failed}`,
    `Temporal UI / \`temporal workflow list --query\`: ${summary.query}`,
  ];
}

/** `correct`, `retry`: runs waiting in needs-attention (issue #14). */
export function registerAttentionCommands(program: Command, io: CliIo, state: { exitCode: number }): void {
  const correct = program
    .command('correct')
    .summary('correct the request of an onboarding waiting in needs-attention, and retry at once')
    .description(
      'Change the fields Staffbase refused (e.g. a userName that belongs to someone else) on the open ' +
        'onboarding of <externalID> while it waits in needs-attention; the refused step is retried at ' +
        'once and the answer says whether it went through or what is still wrong. Fields not given keep ' +
        'their value. Checked by the same rules as `onboard`; nothing is sent when a field is invalid. ' +
        'Refused (exit 4) when the run does not wait; exit 4 too when Staffbase refuses the step again.',
    )
    .argument('<externalID>', "the person's ID in the HR system");
  onboardingPersonFlags(correct, 'correction')
    .addHelpText(
      'after',
      '\nExample:\n  staffbase-lifecycle correct emp-42 --user-name ada.lovelace2   # the first one was taken',
    )
    .action(
      withContext(io, state, async (ctx, externalID: string, options: CorrectOptions) => {
        const correction = defined({
          userName: options.userName,
          email: options.email,
          firstName: options.firstName,
          lastName: options.lastName,
          groupIDs: options.group,
          locale: options.locale,
          profile: options.profile,
        });
        // Checked before connecting: a typo is exit 2 even when Temporal is down, and nothing is sent.
        const { correctOnboarding, validateCorrection } = await attentionActions();
        const checked = validateCorrection(correction);
        if (!checked.ok) throw invalidInput('correction', checked.problems, flagOf);
        const answer = await correctOnboarding(await ctx.client(), externalID, checked.value);
        await ctx.audit({
          event: 'onboarding-corrected',
          externalID,
          workflowId: lifecycleWorkflowId('onboarding', externalID),
          outcome: answer.result,
        });
        ctx.result(
          { externalID, lifecycle: 'onboarding', action: 'correct', ...answer },
          attentionAnswerText(`Corrected the onboarding of ${externalID}`, answer),
        );
        // Answered, but Staffbase refused the step again: not a success for a script.
        if (answer.result !== 'resolved') ctx.exitCode = ExitCode.refused;
      }),
    );

  program
    .command('retry')
    .summary('retry the step a run waits on in needs-attention (one person, or --all)')
    .description(
      'Retry, unchanged, the refused step of the runs waiting in needs-attention — e.g. after the ' +
        'Staffbase API token was replaced. With <externalID>: whichever of that person’s runs waits ' +
        '(onboarding and/or offboarding); exit 4 when none waits or one is refused again. With --all: every waiting run found ' +
        'through Temporal visibility (LifecycleStage = needs-attention, and AttentionCode with --code), ' +
        'a few at a time, with progress and a summary; --dry-run lists them and retries nothing.',
    )
    .argument('[externalID]', "the person's ID in the HR system")
    .option('--all', 'every run waiting in needs-attention')
    .addOption(
      new Option('--code <code>', 'with --all: only runs waiting on this code').choices(attentionCodes),
    )
    .option('--dry-run', 'with --all: list the runs that would be retried')
    .option('--concurrency <n>', 'with --all: retries at once, 1 to 32 (default 4)', positiveWholeNumber)
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  staffbase-lifecycle retry emp-42\n' +
        '  staffbase-lifecycle retry --all --code auth --dry-run   # after a token rotation: what waits\n' +
        '  staffbase-lifecycle retry --all --code auth',
    )
    .action(
      withContext(io, state, async (ctx, externalID: string | undefined, options: RetryOptions) => {
        const { retryAllWaiting, retryPerson } = await attentionActions();
        const bulkOnly = [
          options.code !== undefined && '--code',
          options.dryRun && '--dry-run',
          options.concurrency !== undefined && '--concurrency',
        ].filter((flag): flag is string => typeof flag === 'string');
        if (externalID !== undefined && options.all) {
          throw invalidInput('retry', [
            { field: '<externalID>', message: 'give an externalID or --all, not both' },
          ]);
        }
        if (externalID === undefined && !options.all) {
          throw invalidInput('retry', [
            { field: '<externalID>', message: 'give an externalID, or --all for every waiting run' },
          ]);
        }
        if (options.concurrency !== undefined && options.concurrency > 32) {
          throw invalidInput('retry', [{ field: '--concurrency', message: 'must be at most 32' }]);
        }
        if (!options.all && bulkOnly.length > 0) {
          throw invalidInput('retry', [{ field: bulkOnly[0] as string, message: 'goes with --all only' }]);
        }
        const client = await ctx.client();
        if (externalID !== undefined) {
          const retry = await retryPerson(client, externalID);
          for (const run of retry.retried) {
            await ctx.audit({
              event: 'retry-requested',
              externalID,
              workflowId: lifecycleWorkflowId(run.lifecycle, run.externalID),
              outcome: run.answer.result,
            });
          }
          ctx.result(
            retry,
            retry.retried.map((run) =>
              attentionAnswerText(`Retried the ${run.lifecycle} of ${externalID}`, run.answer),
            ),
          );
          if (retry.retried.some((run) => run.answer.result !== 'resolved')) ctx.exitCode = ExitCode.refused;
          return;
        }
        const summary = await retryAllWaiting(client, {
          ...(options.code !== undefined && { code: options.code }),
          dryRun: options.dryRun === true,
          ...(options.concurrency !== undefined && { concurrency: options.concurrency }),
          onListed: (runs) => {
            if (!options.dryRun)
              ctx.note(`Found ${runs.length} run(s) waiting in needs-attention; retrying…`);
          },
          onProgress: (item, done, total) => ctx.note(`[${done}/${total}] ${itemText(item)}`),
        });
        for (const record of bulkRetryAudits(summary)) await ctx.audit(record);
        ctx.result(summary, bulkRetryText(summary));
        if (summary.failed > 0) ctx.exitCode = ExitCode.unexpected;
      }),
    );
}
