/**
 * How the client finds a user by externalID on this tenant. The older reference lets a filter use
 * `externalId eq "…"`; the current filter page lists `externalId` as presence-only. So look-ups try
 * the filter; a 400 to it is only a suspicion until a control filter on another attribute (same
 * syntax, same encoding) is accepted: then this client switches, for the rest of its life, to the
 * other documented look-up, `GET /users/{externalID}`. A 400 to the control too means the filter
 * syntax or its encoding is refused, and is reported as that. Each step is one request of its own
 * (one request per activity attempt): a step that only learnt something throws
 * {@link ExternalIdLookupDecidingError} (retryable) and the next attempt asks again. Whichever
 * look-up is used, the externalID of every candidate is compared exactly by the caller. The choice
 * is logged once, when it is made. STAFFBASE_LOOKUP_MODE can fix the choice (`filter`: never switch;
 * `path`: the path look-up from the start), as `doctor --write-config` detects it; `auto` is the above.
 */
import { EXTERNAL_ID_FILTER_CONTROL, EXTERNAL_ID_FILTER_REFUSED_STATUS } from './api-choices';
import { type ConfiguredLookupMode, type StaffbaseClientLogger } from './config';
import { StaffbaseTransientError, StaffbaseValidationError } from './errors';
import { type StaffbaseAccount } from './schemas';

export type ExternalIdLookupMode = 'filter' | 'path';

export interface ExternalIdLookupStrategies {
  /** Every user the server lists for `externalId eq` (all statuses). */
  byFilter(externalID: string): Promise<StaffbaseAccount[]>;
  /** `GET /users/{externalID}`; undefined on 404. */
  byPath(externalID: string): Promise<StaffbaseAccount | undefined>;
  /** One list request with the control filter ({@link EXTERNAL_ID_FILTER_CONTROL}), limit 1. */
  controlFilter(): Promise<void>;
}

const OPERATION = 'findUserByExternalId';
/** How soon the attempt after a deciding step runs (the retry delay; clamped to at least 1 s). */
const ASK_AGAIN_AFTER_MS = 1000;
const controlText = `${EXTERNAL_ID_FILTER_CONTROL.attribute} eq "${EXTERNAL_ID_FILTER_CONTROL.value}"`;

/** The look-up learnt something about the tenant and sent its one request: ask again. */
export class ExternalIdLookupDecidingError extends StaffbaseTransientError {
  constructor(summary: string) {
    super({ operation: OPERATION, summary, retryAfterMs: ASK_AGAIN_AFTER_MS, code: 'LOOKUP_DECIDING' });
  }
}

export class ExternalIdLookup {
  #mode: ExternalIdLookupMode | undefined;
  /** The 400 to `externalId eq` that waits for the control filter's verdict. */
  #suspectedRefusal: StaffbaseValidationError | undefined;

  constructor(
    private readonly strategies: ExternalIdLookupStrategies,
    private readonly logger: StaffbaseClientLogger,
    configured: ConfiguredLookupMode = 'auto',
  ) {
    // A configured mode is decided from the start: no control query, and `filter` never switches.
    if (configured !== 'auto') this.#mode = configured;
  }

  /** Undefined until a look-up found out. */
  get mode(): ExternalIdLookupMode | undefined {
    return this.#mode;
  }

  /**
   * Candidates for the externalID (one request); the caller compares their externalID exactly. While
   * the look-up is being decided: {@link ExternalIdLookupDecidingError}.
   */
  async candidates(externalID: string): Promise<StaffbaseAccount[]> {
    if (this.#mode === 'path') return this.#byPath(externalID);
    const suspected = this.#suspectedRefusal;
    if (this.#mode === undefined && suspected) return this.#runControl(suspected);
    try {
      const users = await this.strategies.byFilter(externalID);
      this.#decide('filter');
      return users;
    } catch (error) {
      if (this.#mode === 'filter' || !isFilterRefusal(error)) throw error;
      this.#suspectedRefusal = error;
      throw new ExternalIdLookupDecidingError(
        'the tenant refused the filter `externalId eq` (HTTP 400); the next attempt asks a control ' +
          `filter (${controlText}) whether the attribute or the filter syntax is refused`,
      );
    }
  }

  async #runControl(suspected: StaffbaseValidationError): Promise<never> {
    try {
      await this.strategies.controlFilter();
    } catch (error) {
      if (!isFilterRefusal(error)) throw error;
      // Nothing switches: the next look-up tries the filter again (the refusal may be fixed by then).
      this.#suspectedRefusal = undefined;
      throw new StaffbaseValidationError({
        operation: OPERATION,
        status: error.status,
        ...(error.staffbase !== undefined && { staffbase: error.staffbase }),
        summary:
          `the tenant refused the control filter ${controlText} too (HTTP 400): the filter syntax ` +
          'or its encoding is refused, not the externalId attribute',
      });
    }
    this.#decide('path', suspected);
    throw new ExternalIdLookupDecidingError(
      'the tenant refused `externalId eq` but accepted a control filter: look-ups use ' +
        'GET /users/{externalID} from the next attempt on',
    );
  }

  async #byPath(externalID: string): Promise<StaffbaseAccount[]> {
    const user = await this.strategies.byPath(externalID);
    return user ? [user] : [];
  }

  #decide(mode: ExternalIdLookupMode, refusal?: StaffbaseValidationError): void {
    this.#suspectedRefusal = undefined;
    if (this.#mode !== undefined) return;
    this.#mode = mode;
    if (mode === 'filter') {
      this.logger.info('externalID look-ups use the filter `externalId eq` (the tenant accepts it)');
    } else {
      this.logger.warn(
        'the tenant refused the filter `externalId eq` (HTTP 400) and accepted a control filter on ' +
          `${EXTERNAL_ID_FILTER_CONTROL.attribute}: externalID look-ups use GET /users/{externalID} ` +
          'with an exact externalID comparison from now on',
        { refusal: refusal?.summary },
      );
    }
  }
}

/**
 * For callers outside an activity (the doctor, a read-back, tests): the look-up asked again after
 * each deciding step, so a caller gets an answer or a real error. At most three requests.
 */
export async function withExternalIdLookupDecided<T>(lookUp: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await lookUp();
    } catch (error) {
      if (!(error instanceof ExternalIdLookupDecidingError) || attempt >= 3) throw error;
    }
  }
}

/** Only the server's own 400 counts: a client-side refusal (bad input) has no status. */
function isFilterRefusal(error: unknown): error is StaffbaseValidationError {
  return error instanceof StaffbaseValidationError && error.status === EXTERNAL_ID_FILTER_REFUSED_STATUS;
}
