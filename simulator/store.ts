/**
 * The simulated tenant's users and every rule the User API enforces on them: uniqueness, the status
 * life cycle (pending → activated → deactivated), sessions, recovery requests and group membership.
 * Routes translate HTTP to these methods; errors are SimulatorErrors with the right status.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { SIMULATOR_CHOICES } from './choices';
import { EffectLog } from './effects';
import { badRequest, conflict, notFound, SimulatorError } from './errors';
import { FilterSyntaxError, matchesFilter, mentionsStatus, parseFilter, type FilterNode } from './filter';
import { type Outbox } from './outbox';
import { type CreateUserBody, type UpdateUserBody } from './schemas';
import {
  type ApiUser,
  type EffectActor,
  type SimulatedUserRecord,
  type UserEmail,
  type UserSeed,
} from './types';

export interface ListQuery {
  filter?: string;
  query?: string;
  limit: number;
  offset: number;
  sort?: string;
}

export interface ListResult {
  total: number;
  limit: number;
  offset: number;
  data: ApiUser[];
}

type EmailInput = { value: string; primary?: boolean; providerID?: string | null };

const newId = (): string => randomBytes(12).toString('hex');
const newInvitationCode = (): string => randomBytes(8).toString('hex');
const newRecoveryCode = (): string => String(randomInt(0, 1_000_000)).padStart(6, '0');

/** The API view of a record: what `GET /api/users/{id}` shows, without the simulator's counters. */
export function toApiUser(user: SimulatedUserRecord): ApiUser {
  return {
    id: user.id,
    externalID: user.externalID,
    userName: user.userName,
    firstName: user.firstName,
    lastName: user.lastName,
    emails: user.emails.map((email) => ({ ...email })),
    status: user.status,
    role: user.role,
    groupIDs: [...user.groupIDs],
    profile: structuredClone(user.profile),
    config: { ...user.config },
    created: user.created,
    updated: user.updated,
    activated: user.activated,
    deactivated: user.deactivated,
    secret: user.secret ? { ...user.secret } : null,
  };
}

export class UserStore {
  private readonly users = new Map<string, SimulatedUserRecord>();
  /** What the tenant did to accounts through the API (control-route changes are not API effects). */
  readonly effects = new EffectLog();

  constructor(
    private readonly outbox: Outbox,
    /** Called after every change, e.g. to persist the users. */
    private readonly onChange: (users: SimulatedUserRecord[]) => void = () => undefined,
    private readonly now: () => string = () => new Date().toISOString(),
  ) {}

  // --- lookup -----------------------------------------------------------------------------------

  /** `{userID}` is the Staffbase id or the externalID; the id wins when both could match. */
  find(idOrExternalId: string): SimulatedUserRecord | undefined {
    const byId = this.users.get(idOrExternalId);
    if (byId) return byId;
    for (const user of this.users.values()) if (user.externalID === idOrExternalId) return user;
    return undefined;
  }

  get(idOrExternalId: string): SimulatedUserRecord {
    const user = this.find(idOrExternalId);
    if (!user) throw notFound(`user "${idOrExternalId}" not found`);
    return user;
  }

  all(): SimulatedUserRecord[] {
    return [...this.users.values()].map((user) => structuredClone(user));
  }

  // --- API operations ---------------------------------------------------------------------------

  create(body: CreateUserBody): { user: SimulatedUserRecord } {
    const emails = normalizeEmails(body.emails ?? []);
    if (!body.userName && emails.length === 0) {
      throw badRequest('emails: a user needs a userName or at least one email');
    }
    const sendMail = body.sendMail ?? SIMULATOR_CHOICES.defaultSendMail;
    const primary = primaryEmail(emails);
    if (sendMail && !primary) throw badRequest('sendMail: the invitation needs an email address');
    const time = this.now();
    const user: SimulatedUserRecord = {
      id: newId(),
      externalID: body.externalID ?? null,
      userName: body.userName ?? null,
      firstName: body.firstName,
      lastName: body.lastName,
      emails,
      status: 'pending',
      role: body.role ?? SIMULATOR_CHOICES.defaultRole,
      groupIDs: unique(body.groupIDs ?? []),
      profile: body.profile ?? {},
      config: { locale: body.config?.locale ?? null },
      created: time,
      updated: time,
      activated: null,
      secret: { plain: newInvitationCode(), expires: SIMULATOR_CHOICES.invitationExpires },
      creationType: SIMULATOR_CHOICES.apiCreationType,
      deactivated: null,
      sessions: 0,
      sessionsEnded: 0,
      logoutRequests: 0,
      recoveryRequests: 0,
    };
    this.assertUnique(user);
    this.users.set(user.id, user);
    this.effects.record('created', user, null, 'api', time);
    if (sendMail && primary && user.secret) {
      this.outbox.recordMail('invitation', user, primary, user.secret.plain, time);
    }
    this.changed();
    return { user };
  }

  /** `via: 'studio'` is an administrator changing the user by hand (control routes). */
  update(idOrExternalId: string, body: UpdateUserBody, via: EffectActor = 'api'): SimulatedUserRecord {
    const current = this.get(idOrExternalId);
    const next: SimulatedUserRecord = structuredClone(current);
    if (body.externalID !== undefined) next.externalID = body.externalID;
    if (body.userName !== undefined) next.userName = body.userName;
    if (body.firstName !== undefined) next.firstName = body.firstName;
    if (body.lastName !== undefined) next.lastName = body.lastName;
    if (body.emails !== undefined) next.emails = normalizeEmails(body.emails);
    if (body.role !== undefined) next.role = body.role;
    if (body.groupIDs !== undefined) next.groupIDs = unique(body.groupIDs ?? []);
    if (body.config !== undefined) next.config = { locale: body.config?.locale ?? null };
    if (body.profile !== undefined) next.profile = mergeProfile(next.profile, body.profile);
    const time = this.now();
    if (body.status === 'deactivated' && current.status !== 'deactivated') {
      next.status = 'deactivated';
      next.deactivated = time;
      if (SIMULATOR_CHOICES.deactivationEndsSessions) endAllSessions(next);
    } else if (body.status === 'activated' && current.status === 'deactivated') {
      // [choice] Reactivating a user who never accepted the invitation puts them back to pending.
      next.status = next.activated ? 'activated' : 'pending';
      next.deactivated = null;
    }
    if (!next.userName && next.emails.length === 0) {
      throw badRequest('emails: a user needs a userName or at least one email');
    }
    this.assertUnique(next);
    next.updated = time;
    const statusBefore = current.status;
    Object.assign(current, next);
    if (statusBefore !== 'deactivated' && current.status === 'deactivated') {
      this.effects.record('deactivated', current, statusBefore, via, time);
    } else if (statusBefore === 'deactivated' && current.status !== 'deactivated') {
      this.effects.record('reactivated', current, statusBefore, via, time);
    }
    this.changed();
    return current;
  }

  delete(idOrExternalId: string, via: EffectActor = 'api'): void {
    const user = this.get(idOrExternalId);
    this.users.delete(user.id);
    this.effects.record('deleted', user, user.status, via, this.now());
    this.changed();
  }

  requestRecovery(idOrExternalId: string): void {
    const user = this.get(idOrExternalId);
    if (user.status === 'deactivated') {
      throw badRequest('user is deactivated: recovery codes are not sent to deactivated users');
    }
    if (user.status === 'pending') {
      throw badRequest('user has not accepted the invitation yet (status pending): no account to recover');
    }
    if (user.creationType === 'sso') {
      throw badRequest('user signs in with SSO: a recovery code would not help');
    }
    const to = primaryEmail(user.emails);
    if (!to) throw badRequest('user has no email address to send a recovery code to');
    const time = this.now();
    user.recoveryRequests += 1;
    this.outbox.recordRecovery(user, time);
    this.outbox.recordMail('recovery', user, to, newRecoveryCode(), time);
    this.changed();
  }

  /** Ends every open session of the user; answers how many were ended. */
  endSessions(idOrExternalId: string): number {
    const user = this.get(idOrExternalId);
    const ended = endAllSessions(user);
    user.logoutRequests += 1;
    this.effects.record('logged-out', user, user.status, 'api', this.now());
    this.changed();
    return ended;
  }

  addToGroup(groupId: string, userIds: string[]): void {
    const members = userIds.map((id) => ({ id, user: this.find(id) }));
    const unknown = members.filter((member) => !member.user).map((member) => member.id);
    // Nothing changes when any id is unknown, so a retry after fixing the list is clean.
    if (unknown.length > 0) throw badRequest(`unknown user ids: ${unknown.join(', ')}`);
    const time = this.now();
    for (const { user } of members) {
      if (user && !user.groupIDs.includes(groupId)) {
        user.groupIDs.push(groupId);
        user.updated = time;
      }
    }
    this.changed();
  }

  list(request: ListQuery): ListResult {
    let filter: FilterNode | undefined;
    if (request.filter !== undefined && request.filter.trim() !== '') {
      try {
        filter = parseFilter(request.filter);
      } catch (error) {
        if (error instanceof FilterSyntaxError) throw badRequest(`filter: ${error.message}`);
        throw error;
      }
    }
    // [doc] Without a staffbase.status condition only activated users are listed.
    const statusDefault = !filter || !mentionsStatus(filter);
    const text = request.query?.trim().toLowerCase();
    const matching = [...this.users.values()].filter(
      (user) =>
        (!statusDefault || user.status === 'activated') &&
        (!filter || matchesFilter(filter, user)) &&
        (!text || matchesQuery(user, text)),
    );
    if (request.sort) matching.sort(sortComparator(request.sort));
    return {
      total: matching.length,
      limit: request.limit,
      offset: request.offset,
      data: matching.slice(request.offset, request.offset + request.limit).map(toApiUser),
    };
  }

  // --- control operations (the user's side, and test set-up) -----------------------------------

  /** The user accepts the invitation. Already activated users stay as they are. */
  activate(idOrExternalId: string): SimulatedUserRecord {
    const user = this.get(idOrExternalId);
    if (user.status === 'deactivated') {
      throw new SimulatorError('conflict', 'user is deactivated and cannot accept the invitation');
    }
    if (user.status === 'pending') {
      this.markActivated(user);
      this.changed();
    }
    return user;
  }

  /** The user logs in: a first login activates a pending user; deactivated users are refused. */
  login(idOrExternalId: string): SimulatedUserRecord {
    const user = this.get(idOrExternalId);
    if (user.status === 'deactivated') {
      throw new SimulatorError(
        'conflict',
        'user is deactivated and cannot log in',
        SIMULATOR_CHOICES.loginRefusedStatus,
      );
    }
    if (user.status === 'pending') this.markActivated(user);
    user.sessions += 1;
    this.changed();
    return user;
  }

  seed(seed: UserSeed): SimulatedUserRecord {
    const time = this.now();
    const status = seed.status ?? SIMULATOR_CHOICES.defaultSeedStatus;
    const created = seed.created ?? time;
    if (seed.id && this.users.has(seed.id)) throw conflict(`id: a user with id "${seed.id}" already exists`);
    const user: SimulatedUserRecord = {
      id: seed.id ?? newId(),
      externalID: seed.externalID ?? null,
      userName: seed.userName ?? null,
      firstName: seed.firstName ?? null,
      lastName: seed.lastName ?? null,
      emails: normalizeEmails(seed.emails ?? []),
      status,
      role: seed.role ?? SIMULATOR_CHOICES.defaultRole,
      groupIDs: unique(seed.groupIDs ?? []),
      profile: seed.profile ?? {},
      config: { locale: seed.locale ?? null },
      created,
      updated: seed.updated ?? created,
      activated: seed.activated !== undefined ? seed.activated : status === 'pending' ? null : created,
      secret:
        status === 'pending'
          ? { plain: newInvitationCode(), expires: SIMULATOR_CHOICES.invitationExpires }
          : null,
      creationType: seed.creationType ?? SIMULATOR_CHOICES.apiCreationType,
      deactivated: seed.deactivated !== undefined ? seed.deactivated : status === 'deactivated' ? time : null,
      sessions: status === 'deactivated' ? 0 : (seed.sessions ?? 0),
      sessionsEnded: 0,
      logoutRequests: 0,
      recoveryRequests: 0,
    };
    this.assertUnique(user);
    this.users.set(user.id, user);
    this.changed();
    return user;
  }

  /** Replaces every user, e.g. with the content of the data file; does not call onChange. */
  load(users: SimulatedUserRecord[]): void {
    this.users.clear();
    for (const user of users) this.users.set(user.id, structuredClone(user));
  }

  clear(): void {
    this.users.clear();
    this.changed();
  }

  // --- rules ------------------------------------------------------------------------------------

  private markActivated(user: SimulatedUserRecord): void {
    const time = this.now();
    user.status = 'activated';
    user.activated = time;
    user.updated = time;
    if (SIMULATOR_CHOICES.clearSecretOnActivation) user.secret = null;
  }

  /** 409 naming the field when another user has the same externalID, userName or primary email. */
  private assertUnique(candidate: SimulatedUserRecord): void {
    const userName = candidate.userName?.toLowerCase();
    const email = primaryEmail(candidate.emails)?.toLowerCase();
    for (const other of this.users.values()) {
      if (other.id === candidate.id) continue;
      if (candidate.externalID !== null && other.externalID === candidate.externalID) {
        throw conflict(`externalID: a user with externalID "${candidate.externalID}" already exists`);
      }
      if (userName !== undefined && other.userName?.toLowerCase() === userName) {
        throw conflict(`userName: a user with userName "${candidate.userName}" already exists`);
      }
      if (email !== undefined && primaryEmail(other.emails)?.toLowerCase() === email) {
        throw conflict(`emails: a user with the primary email "${email}" already exists`);
      }
    }
  }

  private changed(): void {
    this.onChange([...this.users.values()]);
  }
}

function endAllSessions(user: SimulatedUserRecord): number {
  const ended = user.sessions;
  user.sessions = 0;
  user.sessionsEnded += ended;
  return ended;
}

/** At most one primary; when none is marked, the first email is the primary one. */
function normalizeEmails(input: EmailInput[]): UserEmail[] {
  const primaries = input.filter((email) => email.primary === true).length;
  if (primaries > 1) throw badRequest('emails: only one email can be primary');
  return input.map((email, index) => ({
    value: email.value,
    primary: primaries === 0 ? index === 0 : email.primary === true,
    providerID: email.providerID ?? null,
  }));
}

function primaryEmail(emails: UserEmail[]): string | undefined {
  return emails.find((email) => email.primary)?.value;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/** [choice] `profile` in a PUT is merged field by field; a field sent as null is removed. */
function mergeProfile(
  current: Record<string, unknown>,
  change: Record<string, unknown> | null,
): Record<string, unknown> {
  if (change === null) return {};
  const merged = { ...current };
  for (const [key, value] of Object.entries(change)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

function matchesQuery(user: SimulatedUserRecord, text: string): boolean {
  const haystack = [
    user.firstName,
    user.lastName,
    `${user.firstName ?? ''} ${user.lastName ?? ''}`,
    user.userName,
    user.externalID,
    ...user.emails.map((email) => email.value),
  ];
  return haystack.some((value) => value?.toLowerCase().includes(text));
}

const sortFields: Record<string, (user: SimulatedUserRecord) => string> = {
  created: (u) => u.created,
  updated: (u) => u.updated,
  activated: (u) => u.activated ?? '',
  firstname: (u) => (u.firstName ?? '').toLowerCase(),
  lastname: (u) => (u.lastName ?? '').toLowerCase(),
  username: (u) => (u.userName ?? '').toLowerCase(),
  externalid: (u) => u.externalID ?? '',
  id: (u) => u.id,
};

/** `sort=lastName`, `-lastName`, `lastName:desc` or `lastName DESC`; ties keep creation order. */
function sortComparator(sort: string): (a: SimulatedUserRecord, b: SimulatedUserRecord) => number {
  const match = /^\s*([+-]?)([A-Za-z.]+)(?:[\s:,]+(asc|desc))?\s*$/i.exec(sort);
  const key = match?.[2]?.toLowerCase();
  const read = key ? sortFields[key] : undefined;
  if (!match || !read) {
    throw badRequest(`sort: cannot sort by "${sort}"; use one of ${Object.keys(sortFields).join(', ')}`);
  }
  const direction = match[1] === '-' || match[3]?.toLowerCase() === 'desc' ? -1 : 1;
  return (a, b) => {
    const left = read(a);
    const right = read(b);
    return left === right ? 0 : left < right ? -direction : direction;
  };
}
