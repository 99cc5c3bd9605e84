import { randomBytes } from 'node:crypto';
import { ERROR_KINDS, type ErrorKind } from './choices';
import { type StaffbaseErrorBody } from './types';

/** Thrown by the store and routes; the server's error handler turns it into the Staffbase envelope. */
export class SimulatorError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    /** Overrides the kind's status (used for injected 5xx faults). */
    readonly statusOverride?: number,
  ) {
    super(message);
    this.name = 'SimulatorError';
  }

  get statusCode(): number {
    return this.statusOverride ?? ERROR_KINDS[this.kind].status;
  }
}

export function errorBody(kind: ErrorKind, message: string, statusOverride?: number): StaffbaseErrorBody {
  const { status, type, ref, identifier } = ERROR_KINDS[kind];
  return {
    traceId: randomBytes(8).toString('hex'),
    type,
    ref,
    statusCode: statusOverride ?? status,
    message,
    identifier,
  };
}

export const badRequest = (message: string): SimulatorError => new SimulatorError('badRequest', message);
export const notFound = (message: string): SimulatorError => new SimulatorError('notFound', message);
export const conflict = (message: string): SimulatorError => new SimulatorError('conflict', message);

/** The error kind whose status this is (an injected 403 reads like a real one). */
export function kindForStatus(status: number): ErrorKind {
  const kind = (Object.keys(ERROR_KINDS) as ErrorKind[]).find((key) => ERROR_KINDS[key].status === status);
  if (kind) return kind;
  return status >= 500 ? 'internal' : 'badRequest';
}
