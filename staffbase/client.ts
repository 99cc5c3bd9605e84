/**
 * The typed Staffbase User API client: the only code in the project that speaks HTTP to Staffbase.
 * Every method either returns validated data or throws a classified `StaffbaseApiError`. Single-user
 * reads and writes hand out managed users only (`StaffbaseUser`); lists hand out every user
 * (`StaffbaseAccount`), so callers must check `status` before acting on a listed one.
 */
import {
  ALL_USER_STATUSES,
  CREATE_USER_SUCCESS_STATUSES,
  DEFAULT_PAGE_SIZE,
  DELETE_ALREADY_GONE_STATUS,
  EXTERNAL_ID_FILTER_CONTROL,
  GONE_STATUSES,
  UPDATE_READ_BACK_ON_EMPTY_BODY,
  isSameExternalId,
  totalWhenMissing,
} from './api-choices';
import { type WriteAnswer, expectStatus, isSuccess, managed, parseAnswer, readWriteAnswer } from './answers';
import { type StaffbaseClientConfig, resolveClientConfig } from './config';
import { StaffbaseMalformedResponseError } from './errors';
import { ExternalIdLookup, type ExternalIdLookupMode } from './external-id-lookup';
import { and, equals, externalIdEquals, groupMember, statusCondition } from './filters';
import { readBackCreatedUser, userIdFromLocation } from './read-back';
import { type Redactor, createRedactor } from './redaction';
import { invalidInput, requireId, userPath } from './request-input';
import {
  type CreateUserInput,
  type StaffbaseAccount,
  type StaffbaseUser,
  type UserPage,
  type UserPatch,
  type UserStatus,
  isManagedUser,
} from './schemas';
import { type HttpRequest, type HttpResponse, StaffbaseTransport } from './transport';
import { type WireFormat, plainJsonWireFormatFor } from './wire-format';

export interface ListUsersPageParams {
  /** A filter expression; build it with `filters.ts` when it contains input values. */
  filter?: string;
  /** ANDed onto `filter`. Without it Staffbase returns `activated` users only. */
  statuses?: UserStatus[];
  offset: number;
  limit: number;
}

export interface FindUsersParams {
  filter?: string;
  statuses?: UserStatus[];
  pageSize?: number;
}

export class StaffbaseClient {
  readonly #transport: StaffbaseTransport;
  readonly #wire: WireFormat;
  readonly #redact: Redactor;
  readonly #externalIdLookup: ExternalIdLookup;

  constructor(config: StaffbaseClientConfig) {
    const resolved = resolveClientConfig(config);
    this.#wire = plainJsonWireFormatFor({
      placement: resolved.profilePlacement,
      update: resolved.profileUpdate,
    });
    this.#redact = createRedactor(resolved.token);
    this.#transport = new StaffbaseTransport(resolved, this.#wire, this.#redact);
    this.#externalIdLookup = new ExternalIdLookup(
      {
        byFilter: (externalID) =>
          this.#collect(
            this.#pages('findUserByExternalId', {
              filter: externalIdEquals(externalID),
              statuses: [...ALL_USER_STATUSES],
              pageSize: DEFAULT_PAGE_SIZE,
            }),
          ),
        byPath: (externalID) => this.#getAccountOrUndefined('findUserByExternalId', externalID),
        controlFilter: async () => {
          await this.#listPage('findUserByExternalId', {
            filter: equals(EXTERNAL_ID_FILTER_CONTROL.attribute, EXTERNAL_ID_FILTER_CONTROL.value),
            offset: 0,
            limit: 1,
          });
        },
      },
      resolved.logger,
      resolved.lookupMode,
    );
  }

  /** How this client looks users up by externalID on this tenant; undefined before the first look-up. */
  get externalIdLookupMode(): ExternalIdLookupMode | undefined {
    return this.#externalIdLookup.mode;
  }

  /**
   * `POST /users`. With `sendMail` Staffbase mails the invitation; the user stays `pending` until first
   * login. An answer without a readable user (Location only, empty, unknown shape) is confirmed by
   * reading the user back; when that shows nothing either: `StaffbaseUnreadableWriteError`.
   */
  async createUser(input: CreateUserInput): Promise<StaffbaseUser> {
    const operation = 'createUser';
    const response = await this.#send({
      operation,
      method: 'POST',
      path: '/users',
      body: this.#wire.createUserBody(input),
    });
    this.#expect(operation, response, (status) => CREATE_USER_SUCCESS_STATUSES.includes(status));
    const answer = this.#readWriteAnswer(operation, response);
    if ('user' in answer) return answer.user;
    return readBackCreatedUser({
      operation,
      why: answer.why,
      locationId: userIdFromLocation(response.headers.location),
      externalID: input.externalID,
      getUser: (id) => this.getUser(id),
      findUserByExternalId: (externalID) => this.findUserByExternalId(externalID),
    });
  }

  /**
   * `GET /users/{id}`; the id may be the Staffbase id or the externalID. 404 (or a `deleted` status)
   * → `StaffbaseNotFoundError`; a status this project does not manage → `StaffbaseUnmanagedUserError`.
   */
  async getUser(userIdOrExternalId: string): Promise<StaffbaseUser> {
    const operation = 'getUser';
    const response = await this.#send({
      operation,
      method: 'GET',
      path: userPath(operation, userIdOrExternalId),
    });
    return managed(operation, this.#parseAccount(operation, response));
  }

  /**
   * The user with exactly this externalID, in any managed status, or undefined. Filters by externalID
   * AND every status (an unfiltered list would hide pending and deactivated users), or reads
   * `GET /users/{externalID}` on a tenant that refuses that filter. Users in a gone status are passed
   * over; one in another unmanaged status → `StaffbaseUnmanagedUserError` (never adopted, never duplicated).
   * One request per call: while the look-up is being decided on a tenant that refused the filter,
   * `ExternalIdLookupDecidingError` (retryable; see external-id-lookup.ts).
   */
  async findUserByExternalId(externalID: string): Promise<StaffbaseUser | undefined> {
    const operation = 'findUserByExternalId';
    requireId(operation, 'externalID', externalID);
    const matches = (await this.#externalIdLookup.candidates(externalID)).filter((user) =>
      isSameExternalId(user.externalID, externalID),
    );
    const found = matches.find(isManagedUser);
    if (found) return found;
    const unmanaged = matches.find((user) => !GONE_STATUSES.includes(user.reportedStatus));
    return unmanaged ? managed(operation, unmanaged) : undefined;
  }

  /** One page of `GET /users`, managed and unmanaged users alike. */
  async listUsersPage(params: ListUsersPageParams): Promise<UserPage> {
    return this.#listPage('listUsersPage', params);
  }

  /**
   * Every matching user, page after page (offset paging) until `total` is reached or a page is empty.
   * Changing the matched users while iterating shifts later pages: collect first, then change.
   */
  findUsers(params: FindUsersParams): AsyncIterable<StaffbaseAccount> {
    return this.#pages('findUsers', params);
  }

  /** `PUT /users/{id}` with only the fields present in `patch`. */
  async updateUser(userId: string, patch: UserPatch): Promise<StaffbaseUser> {
    return this.#put('updateUser', userId, this.#wire.userPatchBody(patch));
  }

  async deactivateUser(userId: string): Promise<StaffbaseUser> {
    return this.#put('deactivateUser', userId, this.#wire.statusChangeBody('deactivated'));
  }

  async reactivateUser(userId: string): Promise<StaffbaseUser> {
    return this.#put('reactivateUser', userId, this.#wire.statusChangeBody('activated'));
  }

  /** Permanent. A 404 means an earlier attempt (or somebody else) already deleted the user. */
  async deleteUser(userId: string): Promise<'deleted' | 'already-gone'> {
    const operation = 'deleteUser';
    const response = await this.#send({ operation, method: 'DELETE', path: userPath(operation, userId) });
    if (response.status === DELETE_ALREADY_GONE_STATUS) return 'already-gone';
    this.#expect(operation, response, isSuccess);
    return 'deleted';
  }

  /** `POST /users/{id}/recovery`: Staffbase emails the user a recovery code (useless for SSO users). */
  async sendRecoveryCode(userId: string): Promise<void> {
    const operation = 'sendRecoveryCode';
    const path = `${userPath(operation, userId)}/recovery`;
    this.#expect(operation, await this.#send({ operation, method: 'POST', path }), isSuccess);
  }

  /** `DELETE /users/{id}/sessions`: ends every session on every device. */
  async logoutEverywhere(userId: string): Promise<void> {
    const operation = 'logoutEverywhere';
    const path = `${userPath(operation, userId)}/sessions`;
    this.#expect(operation, await this.#send({ operation, method: 'DELETE', path }), isSuccess);
  }

  /** Members of a group (`groups eq "<id>"`); without `statuses` only activated members. */
  listGroupMembers(groupId: string, statuses?: UserStatus[]): AsyncIterable<StaffbaseAccount> {
    requireId('listGroupMembers', 'groupId', groupId);
    return this.#pages('listGroupMembers', { filter: groupMember(groupId), statuses });
  }

  /** `POST /groups/{id}/users` with a bare JSON array of user ids. Nothing to add → no request. */
  async addUsersToGroup(groupId: string, userIds: string[]): Promise<void> {
    const operation = 'addUsersToGroup';
    requireId(operation, 'groupId', groupId);
    userIds.forEach((userId) => requireId(operation, 'userId', userId));
    if (userIds.length === 0) return;
    const response = await this.#send({
      operation,
      method: 'POST',
      path: `/groups/${encodeURIComponent(groupId)}/users`,
      body: this.#wire.groupMembersBody(userIds),
    });
    this.#expect(operation, response, isSuccess);
  }

  /** Closes the connection pool; waits for requests in flight. */
  async close(): Promise<void> {
    await this.#transport.close();
  }

  async #put(operation: string, userId: string, body: unknown): Promise<StaffbaseUser> {
    const response = await this.#send({ operation, method: 'PUT', path: userPath(operation, userId), body });
    this.#expect(operation, response, isSuccess);
    const answer = this.#readWriteAnswer(operation, response);
    if ('user' in answer) return answer.user;
    if (!UPDATE_READ_BACK_ON_EMPTY_BODY) {
      throw new StaffbaseMalformedResponseError({ operation, status: response.status, summary: answer.why });
    }
    // The change was answered with success: read the result instead of sending the change again.
    return this.getUser(userId);
  }

  async #getAccountOrUndefined(operation: string, userId: string): Promise<StaffbaseAccount | undefined> {
    const response = await this.#send({ operation, method: 'GET', path: userPath(operation, userId) });
    if (response.status === 404) return undefined;
    return this.#parseAccount(operation, response);
  }

  async #listPage(operation: string, params: ListUsersPageParams): Promise<UserPage> {
    const { offset, limit } = params;
    if (!Number.isSafeInteger(offset) || offset < 0)
      invalidInput(operation, `offset must be >= 0, got ${offset}`);
    if (!Number.isSafeInteger(limit) || limit < 1)
      invalidInput(operation, `limit must be >= 1, got ${limit}`);
    const filter = and(params.filter, statusCondition(params.statuses));
    const response = await this.#send({
      operation,
      method: 'GET',
      path: '/users',
      query: { filter, offset, limit },
    });
    const list = parseAnswer(operation, response, this.#wire.userList, this.#redact);
    const pageOffset = list.offset ?? offset;
    const pageLimit = list.limit ?? limit;
    return {
      total: list.total ?? totalWhenMissing(pageOffset, list.data.length, pageLimit),
      limit: pageLimit,
      offset: pageOffset,
      users: list.data,
    };
  }

  async *#pages(
    operation: string,
    params: FindUsersParams,
  ): AsyncGenerator<StaffbaseAccount, void, undefined> {
    const limit = params.pageSize ?? DEFAULT_PAGE_SIZE;
    let offset = 0;
    for (;;) {
      const page = await this.#listPage(operation, { ...params, offset, limit });
      yield* page.users;
      // Advance by what came back, not by `limit`: a server capping the page size must not make us skip users.
      offset += page.users.length;
      if (page.users.length === 0 || offset >= page.total) return;
    }
  }

  async #collect(users: AsyncIterable<StaffbaseAccount>): Promise<StaffbaseAccount[]> {
    const all: StaffbaseAccount[] = [];
    for await (const user of users) all.push(user);
    return all;
  }

  #send(request: HttpRequest): Promise<HttpResponse> {
    return this.#transport.send(request);
  }

  #expect(operation: string, response: HttpResponse, ok: (status: number) => boolean): void {
    expectStatus(operation, response, ok, this.#redact);
  }

  #parseAccount(operation: string, response: HttpResponse): StaffbaseAccount {
    return parseAnswer(operation, response, this.#wire.user, this.#redact);
  }

  #readWriteAnswer(operation: string, response: HttpResponse): WriteAnswer {
    return readWriteAnswer(operation, response, this.#wire.user, this.#redact);
  }
}
