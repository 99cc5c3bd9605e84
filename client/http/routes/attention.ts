/**
 * Runs waiting in `needs-attention` (issue #14): HR corrects an onboarding's request, an HR system or
 * operator retries one person's waiting step, support retries every waiting run at once (e.g. after a
 * token rotation). Corrections and retries are Temporal updates: the run answers once the retried
 * step has answered, so the response says whether it went through (`resolved`) or what is still
 * wrong (`still-needs-attention`, with the new reason). A run that does not wait refuses (409,
 * reason `NotNeedingAttention`).
 */
import { z } from 'zod';
import { attentionCodes, onboardingCorrectionSchema } from '../../../lifecycle/attention';
import { correctOnboarding, retryAllWaiting, retryPerson } from '../../attention-actions';
import { emptyBodySchema } from '../request-bodies';
import { type ApiRoute, linksFor, parseRequest, runReference } from '../route-spec';
import { lifecycleWorkflowId } from '../../../lifecycle/workflow-ids';
import { bulkRetryAudits } from '../../person-act-audits';

/** `POST /v1/retries`: which waiting runs to retry. */
export const bulkRetryBodySchema = z.strictObject({
  code: z
    .enum(attentionCodes, `must be one of ${attentionCodes.join(', ')}`)
    .optional()
    .meta({
      description: 'Only runs waiting on this code (e.g. `auth` after a token rotation); default: all.',
    }),
  dryRun: z
    .boolean('must be true or false')
    .optional()
    .meta({ description: 'true: list the runs that would be retried, retry nothing.' }),
});

/**
 * How long a bulk retry may take in all (each retry waits for its Staffbase call). Runs whose retry
 * has not answered by then are reported as `failed` with the timeout; they may still resume.
 */
export const BULK_RETRY_DEADLINE_MS = 100_000;

const refusalResponses = {
  400: { description: 'Invalid path or body: every bad field in `problems`; nothing sent.', schema: 'Error' },
  404: { description: 'No open run for this person (`error: no_open_run`).', schema: 'Error' },
  409: {
    description:
      'No run of the person waits in needs-attention (`error: action_refused`, `reason: NotNeedingAttention`).',
    schema: 'Error',
  },
  504: { description: 'No worker answered in time (`error: temporal_timeout`).', schema: 'Error' },
};

export const attentionRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/v1/onboardings/{externalID}/correction',
    operationId: 'correctOnboarding',
    tag: 'onboarding',
    summary: 'Correct an onboarding waiting in needs-attention, and retry at once',
    description:
      'Changes the fields of the waiting onboarding’s request that Staffbase refused (e.g. a `userName` ' +
      'that belongs to another account) and retries the refused step. Fields not given keep their value; ' +
      'the same rules as the start request apply, and at least one field is needed. Answers once the ' +
      'retried step answered: `result: resolved` (the run goes on, `stage`), or `still-needs-attention` ' +
      'with the new reason in `attention`.',
    body: { schema: onboardingCorrectionSchema, component: 'OnboardingCorrection', required: true },
    responses: {
      200: { description: 'What the retry led to.', schema: 'AttentionActionResult' },
      ...refusalResponses,
    },
    async handle({ params, body, deps, audit }) {
      const parsed = parseRequest({
        externalID: params.externalID,
        body: [onboardingCorrectionSchema, body ?? {}],
      });
      const answer = await correctOnboarding(deps.temporalClient, parsed.externalID, parsed.body);
      audit({
        event: 'onboarding-corrected',
        externalID: parsed.externalID,
        workflowId: lifecycleWorkflowId('onboarding', parsed.externalID),
        outcome: answer.result,
      });
      return {
        statusCode: 200,
        body: {
          action: 'correct',
          ...runReference('onboarding', parsed.externalID),
          ...answer,
          links: linksFor('onboarding', parsed.externalID),
        },
      };
    },
  },
  {
    method: 'POST',
    path: '/v1/people/{externalID}/retry',
    operationId: 'retryPerson',
    tag: 'people',
    summary: 'Retry the step a person’s run waits on in needs-attention',
    description:
      'Retries, unchanged, the refused step of whichever of the person’s runs waits (onboarding and/or ' +
      'offboarding), e.g. after the Staffbase token was replaced. `retried` lists each with what the ' +
      'retry led to.',
    body: { schema: emptyBodySchema, component: 'EmptyRequest', required: false },
    responses: {
      200: { description: 'Each waiting run and what its retry led to.', schema: 'PersonRetryResult' },
      ...refusalResponses,
    },
    async handle({ params, body, deps, audit }) {
      const parsed = parseRequest({ externalID: params.externalID, body: [emptyBodySchema, body ?? {}] });
      const retry = await retryPerson(deps.temporalClient, parsed.externalID);
      for (const run of retry.retried) {
        audit({
          event: 'retry-requested',
          externalID: parsed.externalID,
          workflowId: lifecycleWorkflowId(run.lifecycle, run.externalID),
          outcome: run.answer.result,
        });
      }
      return {
        statusCode: 200,
        body: {
          action: 'retry',
          externalID: parsed.externalID,
          retried: retry.retried.map((run) => ({
            ...runReference(run.lifecycle, run.externalID),
            ...run.answer,
          })),
          links: { person: linksFor('onboarding', parsed.externalID).person ?? '' },
        },
      };
    },
  },
  {
    method: 'POST',
    path: '/v1/retries',
    operationId: 'retryWaitingRuns',
    tag: 'support',
    access: 'admin',
    summary: 'Retry every run waiting in needs-attention (optionally on one code)',
    description:
      'Support key only, like the other bulk routes. Finds the waiting runs through Temporal visibility ' +
      "(`LifecycleStage = 'needs-attention'`, and `AttentionCode` with `code`) and retries each, a few at " +
      'a time; answers with a summary (resolved, still waiting, no longer waiting, failed) and every run. ' +
      '`dryRun: true` lists them and retries nothing. After a token rotation, `{"code":"auth"}` resumes ' +
      `every run parked on 401/403. Runs that have not answered within ${BULK_RETRY_DEADLINE_MS / 1000} s ` +
      'are reported as failed (they may still resume: repeat the call).',
    body: { schema: bulkRetryBodySchema, component: 'BulkRetryRequest', required: false },
    responses: {
      200: { description: 'The summary and each run’s result.', schema: 'BulkRetryResult' },
      400: { description: 'Invalid body: every bad field in `problems`.', schema: 'Error' },
    },
    async handle({ body, deps, audit }) {
      const parsed = parseRequest({ body: [bulkRetryBodySchema, body ?? {}] });
      const client = deps.temporalClient;
      // Longer than one request's usual Temporal deadline: each retry waits for a Staffbase call.
      const summary = await client.connection.withDeadline(Date.now() + BULK_RETRY_DEADLINE_MS, () =>
        retryAllWaiting(client, {
          ...(parsed.body.code !== undefined && { code: parsed.body.code }),
          dryRun: parsed.body.dryRun === true,
          concurrency: 8,
        }),
      );
      for (const record of bulkRetryAudits(summary)) audit(record);
      return { statusCode: 200, body: summary };
    },
  },
];
