/**
 * What users look like on this tenant: which documented variant of `role`, the timestamps and the
 * status it uses, judged on the raw JSON (before the client's tolerant reader normalises them).
 */
import { MANAGED_USER_STATUSES, TIMESTAMP_FIELDS } from '../../staffbase/api-choices';
import { staffbaseAccountSchema } from '../../staffbase/schemas';
import { type DoctorCheck, check } from './report';

export interface UserShapes {
  users: number;
  /** Users the tolerant reader cannot read at all (no usable id). */
  unreadable: number;
  roles: { string: number; object: number; missing: number };
  timestamps: { string: number; number: number; missing: number };
  statuses: Record<string, number>;
}

export function summarizeUsers(items: readonly unknown[]): UserShapes {
  const shapes: UserShapes = {
    users: items.length,
    unreadable: 0,
    roles: { string: 0, object: 0, missing: 0 },
    timestamps: { string: 0, number: 0, missing: 0 },
    statuses: {},
  };
  for (const item of items) {
    if (!staffbaseAccountSchema.safeParse(item).success) shapes.unreadable += 1;
    const record = typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {};
    const role = record.role;
    shapes.roles[
      typeof role === 'string' ? 'string' : typeof role === 'object' && role ? 'object' : 'missing'
    ] += 1;
    for (const field of TIMESTAMP_FIELDS) {
      const value = record[field];
      shapes.timestamps[
        typeof value === 'string' ? 'string' : typeof value === 'number' ? 'number' : 'missing'
      ] += 1;
    }
    const status = typeof record.status === 'string' ? record.status : '(none)';
    shapes.statuses[status] = (shapes.statuses[status] ?? 0) + 1;
  }
  return shapes;
}

/** Checks of role, timestamps and statuses for users read one way (`where`: "list page", "GET /users/{id}"). */
export function shapeChecks(idPrefix: string, where: string, shapes: UserShapes): DoctorCheck[] {
  const id = (part: string) => `${idPrefix}-${part}`;
  const fields = ['role', 'timestamps'] as const;
  if (shapes.users === 0) {
    const none = `no user to look at (${where})`;
    return fields.map((field) =>
      check(id(field), `${field} (${where})`, 'skipped', none, 'with --write the throwaway user is checked'),
    );
  }
  /** A field `differs` where some users send a variant the client converts, else it is `ok` as sent. */
  const fieldCheck = (
    field: (typeof fields)[number],
    variant: { seen: string; readAs: string } | undefined,
    asSent: string,
  ) =>
    variant
      ? check(id(field), `${field} (${where})`, 'differs', variant.seen, variant.readAs)
      : check(id(field), `${field} (${where})`, 'ok', asSent, 'used as sent');
  const { roles, timestamps } = shapes;
  const checks: DoctorCheck[] = [
    fieldCheck(
      'role',
      roles.object > 0
        ? {
            seen: `${roles.object} of ${shapes.users} as {"type": …}`,
            readAs: 'read as its type (a string), like the string form',
          }
        : undefined,
      roles.string > 0 ? 'a string' : 'not sent (null)',
    ),
    fieldCheck(
      'timestamps',
      timestamps.number > 0
        ? {
            seen: `${timestamps.number} epoch numbers, ${timestamps.string} strings`,
            readAs: 'epoch numbers are normalised to ISO strings',
          }
        : undefined,
      timestamps.string > 0 ? 'ISO strings' : 'none sent',
    ),
  ];
  if (shapes.unreadable > 0) {
    checks.push(
      check(
        id('readable'),
        `users readable (${where})`,
        'failed',
        `${shapes.unreadable} of ${shapes.users} users have no usable id`,
        'the client refuses such answers: report this tenant answer to the project',
      ),
    );
  }
  return checks;
}

/** Statuses seen: managed ones are ok; any other is listed as unmanaged and skipped by bulk runs. */
export function statusCheck(where: string, shapes: UserShapes): DoctorCheck {
  const seen = Object.entries(shapes.statuses)
    .map(([status, count]) => `${status} ${count}`)
    .join(', ');
  const unmanaged = Object.keys(shapes.statuses).filter(
    (status) => !(MANAGED_USER_STATUSES as readonly string[]).includes(status),
  );
  if (shapes.users === 0)
    return check('list-statuses', `statuses (${where})`, 'skipped', 'no users listed', 'nothing to check');
  return unmanaged.length > 0
    ? check(
        'list-statuses',
        `statuses (${where})`,
        'differs',
        seen,
        `users in ${unmanaged.join(', ')} are read as "unmanaged": listed, never acted on; bulk runs skip and report them`,
      )
    : check('list-statuses', `statuses (${where})`, 'ok', seen, 'all are statuses the project manages');
}
