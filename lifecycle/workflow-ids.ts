/**
 * Every workflow-ID format of the project, and the parser the HR edge reads IDs back with. IDs come
 * from the person's externalID and the lifecycle or operation: one open run per person and lifecycle
 * (or support operation), per population filter, per clean-up kind. No zod, no Node built-ins:
 * workflows use it too.
 */
import type { CleanupInput, GroupMembersLookupInput, PopulationLogoutInput } from './support-inputs';
import type { CleanupKind } from './support-requests';

export type Lifecycle = 'onboarding' | 'offboarding';

/** Every lifecycle with one run per person: the two above and a leave of absence (workflows/leave.ts). */
export type PersonLifecycle = Lifecycle | 'leave';

export function lifecycleWorkflowId(lifecycle: PersonLifecycle, externalID: string): string {
  return `${lifecycle}-${externalID}`;
}

/**
 * The one look-up batcher of the namespace (workflows/lookup-batcher.ts), which bulk offboardings reach
 * with signal-with-start. No externalID can turn a lifecycle ID into it (those begin with the lifecycle).
 */
export const lookupBatcherWorkflowId = 'bulk-lookup-batcher';

// --- support operations ---------------------------------------------------------------------------

export type PersonSupportOperation = 'mover' | 'recovery-code' | 'user-logout' | 'user-lookup';

/** One open run per person and operation: a second trigger finds the open run. */
export function personSupportWorkflowId(operation: PersonSupportOperation, externalID: string): string {
  return `${operation}-${externalID}`;
}

/**
 * One population logout per filter at a time: the ID carries a stable hash of the normalised filter
 * (`populationFilterOf`), so the same filter written with other spacing finds the open run. A dry run
 * has IDs of its own: it neither blocks nor waits for the real run.
 */
export function populationLogoutWorkflowId(input: Pick<PopulationLogoutInput, 'filter' | 'dryRun'>): string {
  return `population-logout-${input.dryRun ? 'dry-run-' : ''}${stableHash(input.filter)}`;
}

/**
 * [choice] One clean-up per kind at a time (two overlapping windows would race for the same users);
 * dry runs are keyed by their whole input, so different dry runs can run side by side.
 */
export function cleanupWorkflowId(input: CleanupInput): string {
  if (!input.dryRun) return cleanupRunId(input.kind);
  const key = [input.kind, input.olderThanDays, input.deactivatedFrom, input.deactivatedBefore].join('|');
  return `cleanup-${input.kind}-dry-run-${stableHash(key)}`;
}

/**
 * The one clean-up of a kind, also its Schedule's ID and the ID the Schedule's runs start from:
 * Temporal appends the scheduled time (`cleanup-pending-accounts-2027-01-31T03:00:00Z`).
 */
export function cleanupRunId(kind: CleanupKind): string {
  return `cleanup-${kind}`;
}

export function groupLookupWorkflowId(input: GroupMembersLookupInput): string {
  const key = [input.groupId, [...input.statuses].sort().join(','), input.pageSize, input.limit].join('|');
  return `group-lookup-${stableHash(key)}`;
}

/** FNV-1a, 64 bit, over the UTF-16 code units: 16 hex characters, stable across processes and versions. */
export function stableHash(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}

// --- reading IDs back -------------------------------------------------------------------------------

export type BulkRunKind = 'population-logout' | 'cleanup';

export type ParsedWorkflowId =
  | { kind: 'population-logout'; dryRun: boolean }
  | { kind: 'cleanup'; cleanup: CleanupKind; dryRun: boolean; scheduled: boolean };

const hash = '[0-9a-f]{16}';
const cleanupKinds: readonly CleanupKind[] = ['pending-accounts', 'deactivated-users'];
const populationLogoutPattern = new RegExp(`^population-logout-(dry-run-)?${hash}$`);
/** Interactive, dry run, or started by the Schedule (RFC 3339 time in UTC appended by Temporal). */
const cleanupPattern = new RegExp(
  `^cleanup-(${cleanupKinds.join('|')})(?:-(dry-run-${hash})|-(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z))?$`,
);

/**
 * What kind of bulk run a workflow ID names (the formats above), or undefined for any other ID: the
 * HR edge reads, steers and signals only these.
 */
export function parseBulkRunId(workflowId: string): ParsedWorkflowId | undefined {
  if (populationLogoutPattern.test(workflowId)) {
    return { kind: 'population-logout', dryRun: workflowId.startsWith('population-logout-dry-run-') };
  }
  const cleanup = cleanupPattern.exec(workflowId);
  if (cleanup) {
    return {
      kind: 'cleanup',
      cleanup: cleanup[1] as CleanupKind,
      dryRun: cleanup[2] !== undefined,
      scheduled: cleanup[3] !== undefined,
    };
  }
  return undefined;
}
