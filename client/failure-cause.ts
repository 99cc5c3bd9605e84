import { ApplicationFailure } from '@temporalio/common';
import { withStaffbaseWords } from '../lifecycle/staffbase-words';

/** Why a run failed, as people need it: the innermost cause of the failure chain. */
export interface FailureCause {
  message: string;
  /** The ApplicationFailure's type (e.g. `StaffbaseConflict`), or the failure class's name. */
  type?: string;
}

/**
 * Walks an error's `cause` chain (WorkflowFailedError → ActivityFailure → ApplicationFailure …) to
 * the innermost cause that says something, so a failed run shows e.g. Staffbase's "userName …
 * already exists" instead of "Activity task failed". Used by the CLI, the HTTP API and the CSV report.
 */
export function rootCause(error: unknown): FailureCause {
  const chain: unknown[] = [];
  for (let current = error; current !== undefined && current !== null && chain.length < 20;) {
    chain.push(current);
    current = current instanceof Error ? current.cause : undefined;
  }
  for (const link of chain.reverse()) {
    if (!(link instanceof Error)) {
      if (typeof link === 'string' && link.trim()) return { message: link };
      continue;
    }
    if (!link.message.trim()) continue;
    if (!(link instanceof ApplicationFailure)) return { message: link.message };
    // Staffbase's own words are kept out of the logged message; the people asking get them back.
    const message = withStaffbaseWords(link.message, link.details);
    return { message, ...(link.type && { type: link.type }) };
  }
  return { message: error instanceof Error ? error.name : String(error) };
}

/** The innermost cause's message (see {@link rootCause}). */
export function rootCauseMessage(error: unknown): string {
  return rootCause(error).message;
}
