/**
 * How the client finds a user by externalID on this tenant. The older reference lets a filter use
 * `externalId eq "…"`; the current filter page lists `externalId` as presence-only. So the first
 * look-up tries the filter; a 400 switches this client, for the rest of its life, to the other
 * documented look-up, `GET /users/{externalID}`. Whichever is used, the externalID of every
 * candidate is compared exactly by the caller. The choice is logged once, when it is made.
 */
import { EXTERNAL_ID_FILTER_REFUSED_STATUS } from './api-choices';
import { type StaffbaseClientLogger } from './config';
import { StaffbaseValidationError } from './errors';
import { type StaffbaseAccount } from './schemas';

export type ExternalIdLookupMode = 'filter' | 'path';

export interface ExternalIdLookupStrategies {
  /** Every user the server lists for `externalId eq` (all statuses). */
  byFilter(externalID: string): Promise<StaffbaseAccount[]>;
  /** `GET /users/{externalID}`; undefined on 404. */
  byPath(externalID: string): Promise<StaffbaseAccount | undefined>;
}

export class ExternalIdLookup {
  #mode: ExternalIdLookupMode | undefined;

  constructor(
    private readonly strategies: ExternalIdLookupStrategies,
    private readonly logger: StaffbaseClientLogger,
  ) {}

  /** Undefined until the first look-up found out. */
  get mode(): ExternalIdLookupMode | undefined {
    return this.#mode;
  }

  /** Candidates for the externalID; the caller compares their externalID exactly. */
  async candidates(externalID: string): Promise<StaffbaseAccount[]> {
    if (this.#mode === 'path') return this.#byPath(externalID);
    try {
      const users = await this.strategies.byFilter(externalID);
      this.#decide('filter');
      return users;
    } catch (error) {
      if (this.#mode === 'filter' || !isFilterRefusal(error)) throw error;
      this.#decide('path', error);
      return this.#byPath(externalID);
    }
  }

  async #byPath(externalID: string): Promise<StaffbaseAccount[]> {
    const user = await this.strategies.byPath(externalID);
    return user ? [user] : [];
  }

  #decide(mode: ExternalIdLookupMode, refusal?: StaffbaseValidationError): void {
    if (this.#mode !== undefined) return;
    this.#mode = mode;
    if (mode === 'filter') {
      this.logger.info('externalID look-ups use the filter `externalId eq` (the tenant accepts it)');
    } else {
      this.logger.warn(
        'the tenant refused the filter `externalId eq` (HTTP 400): externalID look-ups use ' +
          'GET /users/{externalID} with an exact externalID comparison from now on',
        { refusal: refusal?.message },
      );
    }
  }
}

/** Only the server's own 400 counts: a client-side refusal (bad input) has no status. */
function isFilterRefusal(error: unknown): error is StaffbaseValidationError {
  return error instanceof StaffbaseValidationError && error.status === EXTERNAL_ID_FILTER_REFUSED_STATUS;
}
