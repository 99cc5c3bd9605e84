/**
 * Response shapes: the simulator can answer in each variant Staffbase's public sources document or
 * show (role object, create without a body, epoch timestamps, `contact`/`deleted` users in lists, a
 * filter page that lists `externalId` as presence-only), so the client is tested against all of them.
 * A layer over the routes' answers only: the store and its rules never change with the shapes.
 *
 * Chosen by `SIMULATOR_SHAPES` (a profile name or a comma list of variants), `PUT /_simulator/shapes`
 * or `startSimulator({ shapes })`.
 */
import { badRequest } from './errors';
import { type ApiUser, SYSTEM_PROFILE_FIELDS } from './types';

export const SHAPE_VARIANTS = [
  /** `role: {"type": "reader"}` (the role-type page) instead of `role: "reader"`. */
  'role-object',
  /** Create answers 201 + Location with an empty body (the connector's definition). */
  'create-location-only',
  /** Create answers 204 + Location, no body. */
  'create-no-content',
  /** created/updated/activated/deactivated as epoch milliseconds. */
  'epoch-timestamps',
  /** Every list page also holds a `contact` and a `deleted` user (newer user models). */
  'unmanaged-users',
  /** `externalId eq|ne|co|sw|ew` in a filter is a 400: only `pr` (the current filter page). */
  'externalid-presence-only',
  /** A `filter=` whose spaces arrive as `+` (form encoding) is a 400: the reference shows `%20` only. */
  'filter-refuses-plus',
  /**
   * `externalId eq "a" or externalId eq "b"` is a 400 (the activation sweep's filter): `or` between
   * externalId conditions refused, `or` between statuses still read.
   */
  'externalid-or-refused',
  /** A system profile field (`department`, …) sent under `profile` in a create or PUT is a 400 (legacy model). */
  'system-fields-top-level',
  /** A system profile field sent at the top level of a create or PUT is a 400 (newer model: under `profile`). */
  'system-fields-in-profile',
  /** A PUT's `profile` replaces the stored profile whole (fields not sent are lost); default: merged. */
  'profile-put-replaces',
] as const;
export type ShapeVariant = (typeof SHAPE_VARIANTS)[number];

/** Named sets of variants; each variant is also a profile of its own. */
export const SHAPE_PROFILES: Readonly<Record<string, readonly ShapeVariant[]>> = {
  default: [],
  ...Object.fromEntries(SHAPE_VARIANTS.map((variant) => [variant, [variant]])),
  /** The legacy user model: system fields at the top level only, and a PUT replaces `profile`. */
  'placement-top-level': ['system-fields-top-level', 'profile-put-replaces'],
  /** The newer user model: system fields under `profile` only, and a PUT merges `profile`. */
  'placement-profile': ['system-fields-in-profile'],
  /** Everything that can be combined at once (the two create variants exclude each other). */
  'all-variants': [
    'role-object',
    'create-no-content',
    'epoch-timestamps',
    'unmanaged-users',
    'externalid-presence-only',
    'filter-refuses-plus',
  ],
};

export interface ShapeState {
  /** The profile name when the variants are exactly one profile's, else undefined. */
  profile: string | undefined;
  variants: ShapeVariant[];
}

/** A profile name, a comma-separated list of variants, or a list; throws naming what is unknown. */
export function parseShapes(spec: string | readonly string[] | undefined): ShapeVariant[] {
  const parts = (typeof spec === 'string' ? spec.split(',') : [...(spec ?? [])])
    .map((part) => part.trim())
    .filter((part) => part !== '');
  const variants = new Set<ShapeVariant>();
  for (const part of parts) {
    const profile = SHAPE_PROFILES[part];
    if (profile) profile.forEach((variant) => variants.add(variant));
    else throw new Error(`unknown shape "${part}": use one of ${Object.keys(SHAPE_PROFILES).join(', ')}`);
  }
  if (variants.has('create-location-only') && variants.has('create-no-content')) {
    throw new Error('shapes create-location-only and create-no-content exclude each other');
  }
  if (variants.has('system-fields-top-level') && variants.has('system-fields-in-profile')) {
    throw new Error('shapes system-fields-top-level and system-fields-in-profile exclude each other');
  }
  return SHAPE_VARIANTS.filter((variant) => variants.has(variant));
}

/** Users in statuses the project does not manage, as `unmanaged-users` lists them (after the stored users). */
const UNMANAGED_USERS: readonly ApiUser[] = [
  unmanagedUser('5ca1ab1e0000000000000001', 'sim-contact-1', 'contact'),
  unmanagedUser('5ca1ab1e0000000000000002', 'sim-deleted-1', 'deleted'),
];

function unmanagedUser(id: string, externalID: string, status: string): ApiUser {
  const created = '2026-01-01T00:00:00.000Z';
  return {
    id,
    externalID,
    userName: null,
    firstName: 'Unmanaged',
    lastName: status,
    emails: [{ value: `${externalID}@contacts.example`, primary: true, providerID: null }],
    // The stored-user type knows managed statuses only; these come from newer user models.
    status: status as ApiUser['status'],
    role: 'reader',
    groupIDs: [],
    profile: {},
    config: { locale: null },
    created,
    updated: created,
    activated: null,
    deactivated: null,
    secret: null,
  };
}

/** The filter with every double-quoted value (`\\` escapes inside) taken out. */
function withoutQuotedValues(filter: string): string {
  return filter.replace(/"(?:[^"\\]|\\.)*"/g, '""');
}

const EXTERNAL_ID_OR = /\bexternalId\s+\w+\s+""\s+or\s+externalId\b/i;

/** The raw (undecoded) value of the last `name=` parameter of a request URL's query, if any. */
export function rawQueryValue(url: string, name: string): string | undefined {
  const query = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  const values = query
    .split('&')
    .filter((pair) => pair.startsWith(`${name}=`))
    .map((pair) => pair.slice(name.length + 1));
  return values[values.length - 1];
}

const TIMESTAMP_FIELDS = ['created', 'updated', 'activated', 'deactivated'] as const;

export interface ListAnswer {
  total: number;
  limit: number;
  offset: number;
  data: ApiUser[];
}

/** The shapes in force, changeable while running; `reset` goes back to the start value. */
export class ResponseShapes {
  #variants: ShapeVariant[];

  constructor(private readonly initial: readonly ShapeVariant[] = []) {
    this.#variants = [...initial];
  }

  configure(spec: string | readonly string[] | undefined): ShapeState {
    try {
      this.#variants = parseShapes(spec);
    } catch (error) {
      throw badRequest(`shapes: ${error instanceof Error ? error.message : String(error)}`);
    }
    return this.current();
  }

  reset(): void {
    this.#variants = [...this.initial];
  }

  current(): ShapeState {
    const key = this.#variants.join(',');
    const profile = Object.entries(SHAPE_PROFILES).find(([, variants]) => variants.join(',') === key)?.[0];
    return { profile, variants: [...this.#variants] };
  }

  has(variant: ShapeVariant): boolean {
    return this.#variants.includes(variant);
  }

  /** One user as the API sends it in the current shapes. */
  user(user: ApiUser): Record<string, unknown> {
    const shaped: Record<string, unknown> = { ...user };
    if (this.has('role-object')) shaped.role = { type: user.role };
    if (this.has('epoch-timestamps')) {
      for (const field of TIMESTAMP_FIELDS) {
        const value = user[field];
        shaped[field] = typeof value === 'string' ? Date.parse(value) : value;
      }
    }
    return shaped;
  }

  /**
   * A 400 naming the first system profile field a create or PUT body sends where these shapes' user
   * model does not keep it; checked before the store sees the body, so nothing is half-written.
   */
  checkProfilePlacement(body: unknown): void {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return;
    const record = body as Record<string, unknown>;
    const profile = record.profile;
    const underProfile =
      typeof profile === 'object' && profile !== null ? (profile as Record<string, unknown>) : {};
    for (const field of SYSTEM_PROFILE_FIELDS) {
      if (this.has('system-fields-top-level') && underProfile[field] !== undefined) {
        throw badRequest(`profile.${field}: a system field, send it at the top level of the user`);
      }
      if (this.has('system-fields-in-profile') && record[field] !== undefined) {
        throw badRequest(`${field}: a system field, send it under profile`);
      }
    }
  }

  /** How a PUT treats `profile`. */
  profileUpdate(): 'merge' | 'replace' {
    return this.has('profile-put-replaces') ? 'replace' : 'merge';
  }

  /** How `POST /users` answers: status, and whether the created user is in the body. */
  createAnswer(defaultStatus: number): { status: number; withBody: boolean } {
    if (this.has('create-no-content')) return { status: 204, withBody: false };
    if (this.has('create-location-only')) return { status: 201, withBody: false };
    return { status: defaultStatus, withBody: true };
  }

  /**
   * A 400 for filters the tenant would refuse in these shapes; the store sees the filter only when
   * allowed. `rawFilter` is the `filter=` value as it came on the wire, before any decoding.
   */
  checkFilter(filter: string | undefined, rawFilter: string | undefined): void {
    if (!filter) return;
    if (this.has('filter-refuses-plus') && rawFilter?.includes('+')) {
      throw badRequest('filter: invalid filter syntax (encode a space as %20)');
    }
    if (this.has('externalid-or-refused') && EXTERNAL_ID_OR.test(withoutQuotedValues(filter))) {
      throw badRequest('filter: the operator or is not supported for externalId');
    }
    if (this.has('externalid-presence-only') && /\bexternalId\s+(eq|ne|co|sw|ew)\b/i.test(filter)) {
      throw badRequest('filter: externalId can only be used with the pr operator');
    }
  }

  /**
   * How many stored users to read for one page: with `unmanaged-users` the page is cut from the stored
   * users followed by the unmanaged ones, so the stored list is read whole.
   */
  storeWindow(offset: number, limit: number): { offset: number; limit: number } {
    return this.has('unmanaged-users') ? { offset: 0, limit: Number.MAX_SAFE_INTEGER } : { offset, limit };
  }

  /** The page in the current shapes, from the store's answer to `storeWindow`. */
  list(stored: ListAnswer, offset: number, limit: number): Record<string, unknown> {
    if (!this.has('unmanaged-users')) return { ...stored, data: stored.data.map((user) => this.user(user)) };
    // Unmanaged users count in total and take positions like any user, so offset paging stays exact.
    const all = [...stored.data, ...UNMANAGED_USERS];
    return {
      total: all.length,
      limit,
      offset,
      data: all.slice(offset, offset + limit).map((user) => this.user(user)),
    };
  }

  /** An unmanaged user by id or externalID, for `GET /users/{id}` in `unmanaged-users`. */
  unmanagedUser(idOrExternalId: string): Record<string, unknown> | undefined {
    if (!this.has('unmanaged-users')) return undefined;
    const user = UNMANAGED_USERS.find((u) => u.id === idOrExternalId || u.externalID === idOrExternalId);
    return user ? this.user(user) : undefined;
  }
}
