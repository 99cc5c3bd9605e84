/**
 * The simulated tenant's users and every rule the User API enforces on them: uniqueness, the status
 * life cycle (pending → activated → deactivated), sessions, recovery requests and group membership.
 * Routes translate HTTP to these methods; errors are SimulatorErrors with the right status.
 */
import { SIMULATOR_CHOICES } from './choices';
import { EffectLog } from './effects';
import { badRequest, conflict, notFound, SimulatorError } from './errors';
import { type Outbox } from './outbox';
import { type CreateUserBody, type UpdateUserBody } from './schemas';
import { type EffectActor, SYSTEM_PROFILE_FIELDS, type SimulatedUserRecord, type UserSeed } from './types';
import { type ListQuery, type ListResult, listUsers } from './user-list';
import {
  applyTopLevelProfileFields,
  endAllSessions,
  mergeProfile,
  newId,
  newInvitationCode,
  newRecoveryCode,
  normalizeEmails,
  primaryEmail,
  unique,
} from './user-records';

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
    applyTopLevelProfileFields(user, body);
    this.assertUnique(user);
    this.users.set(user.id, user);
    this.effects.record('created', user, null, 'api', time);
    if (sendMail && primary && user.secret) {
      this.outbox.recordMail('invitation', user, primary, user.secret.plain, time);
    }
    this.changed();
    return { user };
  }

  /**
   * `via: 'studio'` is an administrator changing the user by hand (control routes). `profileUpdate`:
   * whether a `profile` sent merges into the stored one (default) or replaces it whole.
   */
  update(
    idOrExternalId: string,
    body: UpdateUserBody,
    via: EffectActor = 'api',
    profileUpdate: 'merge' | 'replace' = 'merge',
  ): SimulatedUserRecord {
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
    if (body.profile !== undefined) {
      next.profile =
        profileUpdate === 'replace'
          ? mergeProfile({}, body.profile ?? {})
          : mergeProfile(next.profile, body.profile);
    }
    applyTopLevelProfileFields(next, body);
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
    // Object.assign keeps keys `next` no longer has: a system field removed (sent as null) goes here.
    for (const field of SYSTEM_PROFILE_FIELDS) if (next[field] === undefined) delete current[field];
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
    return listUsers(this.users.values(), request);
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
      ...seed.topLevel,
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
    this.effects.record('activated', user, user.status, 'user', time);
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
