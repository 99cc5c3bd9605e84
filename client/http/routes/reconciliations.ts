/**
 * Reconciliation plans over HTTP (issue 30, docs/reconciliation.md): `POST /v1/reconciliations` takes an
 * HR snapshot (base64, as `/v1/imports/dry-run` takes files) and starts its plan; `GET` lists recent plans
 * and shows one with its entries in pages; `…/approve` and `…/discard` decide a held plan (support key,
 * audited). The same client module as `staffbase-lifecycle reconcile` (client/reconcile-plans.ts).
 */
import { z } from 'zod';
import { dateFormats } from '../../csv/date-cells';
import { readSnapshotFile, type SnapshotFile } from '../../csv/snapshot-file';
import { situations } from '../../../lifecycle/reconcile/situations';
import { PLAN_ENTRIES_PAGE_MAX, type PlanRecord } from '../../../store';
import {
  PlanNotFoundError,
  decideReconcilePlan,
  entryView,
  startReconcilePlan,
  waitForSettledPlan,
} from '../../reconcile-plans';
import { ApiError } from '../errors';
import { type ApiRoute, type RouteContext, parseRequest } from '../route-spec';
import { bodyLimitFor, fileTooLargeAnswer, readUploadedFile } from './imports';

export const reconciliationBodySchema = z.strictObject({
  /** The snapshot's bytes in base64: CSV, an .xlsx workbook or JSON. */
  content: z
    .string()
    .min(1, 'must not be empty')
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64'),
  dateFormat: z.enum(dateFormats, `must be one of ${dateFormats.join(', ')}`).optional(),
  map: z.record(z.string().trim().min(1).max(200), z.string().trim().min(1).max(200)).optional(),
  ignoreUnknown: z.boolean().optional(),
  sheet: z.string().trim().min(1).max(100).optional(),
});

export const reconciliationQuerySchema = z.strictObject({
  dryRun: z.enum(['true', 'false'], 'must be true or false').optional(),
  absent: z.enum(['ignore', 'leaver'], 'must be ignore or leaver').optional(),
});

const planIdSchema = z.string().regex(/^plan-[0-9a-f-]{36}$/, 'must be a plan id such as plan-…');

const entriesQuerySchema = z.strictObject({
  situation: z.enum(situations, `must be one of ${situations.join(', ')}`).optional(),
  afterSeq: z
    .string()
    .regex(/^\d{1,9}$/, 'must be a whole number (nextAfterSeq of the previous page)')
    .optional(),
  limit: z
    .string()
    .regex(/^\d{1,4}$/, `must be a whole number from 1 to ${PLAN_ENTRIES_PAGE_MAX}`)
    .refine(
      (value) => Number(value) >= 1 && Number(value) <= PLAN_ENTRIES_PAGE_MAX,
      `must be a whole number from 1 to ${PLAN_ENTRIES_PAGE_MAX}`,
    )
    .optional(),
});

const decisionBodySchema = z.strictObject({
  reason: z.string().trim().min(1).max(500, 'must be at most 500 characters').optional(),
});

function planSummary(plan: PlanRecord) {
  return {
    planId: plan.planId,
    status: plan.status,
    counts: plan.counts ?? {},
    safetyReasons: plan.safetyReasons,
    dryRun: plan.dryRun,
    absent: plan.absent,
    createdAt: plan.createdAt,
    ...(plan.decision && { decision: plan.decision }),
    ...(plan.appliedAt !== null && { appliedAt: plan.appliedAt }),
  };
}

/** The path's plan id, checked: a 400 naming `planId` for anything else. */
function planIdOf(context: RouteContext): string {
  const parsed = planIdSchema.safeParse(context.params.planId);
  if (!parsed.success)
    throw ApiError.invalid([{ field: 'planId', message: 'must be a plan id such as plan-…' }]);
  return parsed.data;
}

function notFound(planId: string): ApiError {
  return new ApiError(404, 'not_found', `No reconciliation plan ${planId}`);
}

async function readSnapshot(
  body: z.infer<typeof reconciliationBodySchema>,
  context: RouteContext,
): Promise<SnapshotFile> {
  return readUploadedFile(body, context.deps.importLimits, readSnapshotFile);
}

function decisionRoute(decision: 'approve' | 'discard'): ApiRoute {
  return {
    method: 'POST',
    path: `/v1/reconciliations/{planId}/${decision}`,
    operationId: decision === 'approve' ? 'approveReconciliation' : 'discardReconciliation',
    tag: 'people',
    access: 'admin',
    summary:
      decision === 'approve'
        ? 'Approve a plan held for approval: it is applied'
        : 'Discard a plan held for approval',
    description:
      'Only a plan in `held-for-approval`; otherwise 409 `action_refused`. Who decided (the support key and the ' +
      'trusted user header) and `reason` go to the audit trail and the plan.',
    body: { schema: decisionBodySchema, component: 'ReconciliationDecision', required: false },
    responses: {
      200: { description: 'The plan after the decision.', schema: 'ReconciliationPlan' },
      404: { description: 'No such plan.', schema: 'Error' },
      409: { description: 'The plan is not held for approval.', schema: 'Error' },
    },
    async handle(context) {
      const planId = planIdOf(context);
      const { body } = parseRequest({ body: [decisionBodySchema, context.body ?? {}] });
      const by = { kind: context.caller.key, user: context.caller.requestedBy ?? null };
      let decided: PlanRecord;
      try {
        decided = await decideReconcilePlan(context.deps.temporalClient, context.deps.store, planId, {
          decision,
          by,
          ...(body.reason !== undefined && { reason: body.reason }),
        });
      } catch (error) {
        if (error instanceof PlanNotFoundError) throw notFound(planId);
        throw error;
      }
      context.audit({
        event: decision === 'approve' ? 'reconciliation-approved' : 'reconciliation-discarded',
        workflowId: `reconcile-${planId}`,
        outcome: decided.status,
        ...(body.reason !== undefined && { reason: body.reason }),
      });
      return { statusCode: 200, body: planSummary(decided) };
    },
  };
}

export const reconciliationRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/v1/reconciliations',
    operationId: 'startReconciliation',
    tag: 'people',
    summary: 'Compare an HR snapshot with Staffbase: a plan, applied unless dryRun or held for approval',
    description:
      'The snapshot (every person HR knows) as base64 `content`: CSV, .xlsx or JSON, read as imports read files. ' +
      'The worker compares it with the directory and the open runs; every person gets one situation. ' +
      '`dryRun=true` only plans. `absent=leaver` (support key only) offboards managed accounts missing from the ' +
      'snapshot; by default they are only reported. A plan over the worker’s thresholds is `held-for-approval`. ' +
      'Answers 200 with the plan once it is made (and applied), or 202 with its id while it is still being made.',
    query: reconciliationQuerySchema,
    body: { schema: reconciliationBodySchema, component: 'ReconciliationRequest', required: true },
    bodyLimit: (deps) => bodyLimitFor(deps.importLimits.maxFileBytes),
    bodyTooLarge: (deps) => fileTooLargeAnswer(deps.importLimits),
    responses: {
      200: {
        description: 'The plan: `planId`, `status`, `counts`, `safetyReasons`.',
        schema: 'ReconciliationPlan',
      },
      202: { description: 'The plan is still being made: `planId`, `status`.', schema: 'ReconciliationPlan' },
      400: { description: 'Invalid body or a snapshot that cannot be read: `problems`.', schema: 'Error' },
      403: { description: '`absent=leaver` without the support key.', schema: 'Error' },
      413: { description: 'The file is larger than IMPORT_MAX_FILE_MB.', schema: 'Error' },
    },
    async handle(context) {
      const { query, body } = parseRequest({
        query: [reconciliationQuerySchema, context.query],
        body: [reconciliationBodySchema, context.body ?? {}],
      });
      const absent = query.absent ?? 'ignore';
      if (absent === 'leaver' && context.caller.key !== 'admin-key' && context.caller.key !== 'dev-mode')
        throw new ApiError(403, 'forbidden', 'absent=leaver needs the support key (LIFECYCLE_ADMIN_API_KEY)');
      const snapshot = await readSnapshot(body, context);
      const { temporalClient: client, store } = context.deps;
      const plan = await startReconcilePlan(client, store, {
        rows: snapshot.rows(),
        source: 'http',
        dryRun: query.dryRun === 'true',
        absent,
        requestedBy: { kind: context.caller.key, user: context.caller.requestedBy ?? null },
        policies: context.deps.policies,
      });
      context.audit({
        event: 'reconciliation-requested',
        workflowId: `reconcile-${plan.planId}`,
        outcome: query.dryRun === 'true' ? 'dry-run' : absent === 'leaver' ? 'absent-leaver' : 'started',
      });
      try {
        const settled = await waitForSettledPlan(client, store, plan.planId, context.deps.temporalTimeoutMs);
        return { statusCode: 200, body: planSummary(settled) };
      } catch {
        const current = (await store.reconcile.plan(plan.planId)) ?? plan;
        return { statusCode: 202, body: planSummary(current) };
      }
    },
  },
  {
    method: 'GET',
    path: '/v1/reconciliations',
    operationId: 'listReconciliations',
    tag: 'people',
    summary: 'Recent reconciliation plans, newest first',
    responses: {
      200: {
        description: '`plans`: status, counts, safety reasons, decision.',
        schema: 'ReconciliationList',
      },
    },
    async handle(context) {
      const plans = await context.deps.store.reconcile.recentPlans(50);
      return { statusCode: 200, body: { plans: plans.map(planSummary) } };
    },
  },
  {
    method: 'GET',
    path: '/v1/reconciliations/{planId}',
    operationId: 'getReconciliation',
    tag: 'people',
    summary: 'One plan: counts per situation and its entries in pages',
    description:
      'Entries in plan order (`externalID`, `situation`, `action`, `reason`; an account without an externalID ' +
      'has `externalID: null` and its `staffbaseId`), optionally of one `situation`; pass `nextAfterSeq` back as ' +
      '`afterSeq` for the next page (`limit` up to 1000, default 100).',
    query: entriesQuerySchema,
    responses: {
      200: { description: 'The plan and one page of entries.', schema: 'ReconciliationPlanPage' },
      404: { description: 'No such plan.', schema: 'Error' },
    },
    async handle(context) {
      const planId = planIdOf(context);
      const { query } = parseRequest({ query: [entriesQuerySchema, context.query] });
      const plan = await context.deps.store.reconcile.plan(planId);
      if (!plan) throw notFound(planId);
      const page = await context.deps.store.reconcile.entries(plan.planId, {
        ...(query.situation !== undefined && { situation: query.situation }),
        ...(query.afterSeq !== undefined && { afterSeq: Number(query.afterSeq) }),
        ...(query.limit !== undefined && { limit: Number(query.limit) }),
      });
      return {
        statusCode: 200,
        body: {
          ...planSummary(plan),
          entries: page.entries.map(entryView),
          ...(page.nextAfterSeq !== undefined && { nextAfterSeq: page.nextAfterSeq }),
        },
      };
    },
  },
  decisionRoute('approve'),
  decisionRoute('discard'),
];
