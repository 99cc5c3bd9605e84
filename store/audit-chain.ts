/**
 * The audit trail's hash chain, as pure functions: each row's hash is SHA-256 over the previous row's
 * hash and the row's canonical fields. Free text (the reason) enters as its own hash, so the text can
 * be erased later without breaking the chain.
 */
import { createHash } from 'node:crypto';

/** The "previous hash" of the first row. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields a row's hash covers (`reasonHash`, never the reason's text). */
export interface ChainedFields {
  seq: number;
  at: string;
  actorKind: string;
  actorUser: string | null;
  action: string;
  externalID: string | null;
  runId: string | null;
  outcome: string | null;
  reasonHash: string | null;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** One JSON array in a fixed order: unambiguous (no field can bleed into the next). */
function canonical(fields: ChainedFields): string {
  return JSON.stringify([
    fields.seq,
    fields.at,
    fields.actorKind,
    fields.actorUser,
    fields.action,
    fields.externalID,
    fields.runId,
    fields.outcome,
    fields.reasonHash,
  ]);
}

export function chainHash(prevHash: string, fields: ChainedFields): string {
  return sha256Hex(`${prevHash}\n${canonical(fields)}`);
}

export function reasonHash(reason: string | null | undefined): string | null {
  return reason === null || reason === undefined ? null : sha256Hex(reason);
}
