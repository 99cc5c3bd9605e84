/**
 * The write checks (`--write` only), on one throwaway user (`doctor-<random>`, `sendMail: false`, so
 * nobody is mailed): create, duplicate create, partial update, deactivate/reactivate, logout, delete
 * twice. The throwaway user is removed at the end even when a step fails, and the removal is checked.
 */
import { withExternalIdLookupDecided } from '../../staffbase/external-id-lookup';
import { randomBytes } from 'node:crypto';
import { CREATE_USER_SUCCESS_STATUSES } from '../../staffbase/api-choices';
import { type StaffbaseClient } from '../../staffbase/client';
import { userIdFromLocation } from '../../staffbase/read-back';
import { staffbaseAccountSchema } from '../../staffbase/schemas';
import { type ProfileModel, defaultWireFormat } from '../../staffbase/wire-format';
import { type DoctorProbe, describeAnswer, userPath } from './probe';
import { type DoctorCheck, check } from './report';
import { shapeChecks, summarizeUsers } from './user-shapes';
import { partialUpdateCheck, statusLookupCheck } from './change-checks';
import { placementChecks } from './placement-checks';
import { cleanUp } from './clean-up';
import { deleteChecks } from './delete-checks';
import { groupMembershipCheck, invitationSecretCheck, pendingRecoveryCheck } from './pending-checks';

export interface WriteContext {
  probe: DoctorProbe;
  client: StaffbaseClient;
  /** Whether the read checks found `externalId eq` refused. */
  externalIdFilterRefused: boolean | undefined;
  /** Whether the read checks already looked at a user from GET /users/{id}. */
  userShapeChecked: boolean;
  /** `--group <id>`: the group the membership write is tried on. */
  groupId?: string;
  /** STAFFBASE_PROFILE_PLACEMENT / STAFFBASE_PROFILE_UPDATE as configured, for the placement findings. */
  profileModel: ProfileModel;
}

export function throwawayExternalId(): string {
  return `doctor-${randomBytes(6).toString('hex')}`;
}

/** A status PUT (`deactivate` / `reactivate`): ok when the answer shows the user deactivated, or not, as asked. */
function statusPutCheck(
  step: 'deactivate' | 'reactivate',
  status: string,
  deactivated: boolean,
  use: string,
) {
  return check(
    step,
    `${step} (PUT status)`,
    (status === 'deactivated') === deactivated ? 'ok' : 'failed',
    `status ${status}`,
    use,
  );
}

export async function writeChecks(context: WriteContext, externalID: string): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  try {
    await runSteps(context, externalID, checks);
  } catch (error) {
    checks.push(
      check(
        'write-step',
        'write checks',
        'failed',
        error instanceof Error ? error.message : String(error),
        'the remaining write checks did not run',
      ),
    );
  } finally {
    checks.push(await cleanUp(context.probe, externalID));
  }
  return checks;
}

async function runSteps(context: WriteContext, externalID: string, checks: DoctorCheck[]): Promise<void> {
  const { probe, client } = context;
  const body = defaultWireFormat.createUserBody({
    externalID,
    userName: externalID,
    firstName: 'Doctor',
    lastName: 'Check',
    email: `${externalID}@example.com`,
    sendMail: false,
  });
  const created = await probe.send('POST', '/users', { body });
  const createdUser = staffbaseAccountSchema.safeParse(created.json);
  const locationId = userIdFromLocation(created.location);
  if (created.status === 401 || created.status === 403) {
    checks.push(
      check(
        'token-level',
        'token level',
        'failed',
        `create → ${describeAnswer(created)}`,
        'use an Administrative token from Studio → API access',
      ),
    );
    return;
  }
  if (!CREATE_USER_SUCCESS_STATUSES.includes(created.status)) {
    checks.push(
      check(
        'token-level',
        'token level',
        'skipped',
        'the create was refused for another reason',
        'see create',
      ),
    );
    checks.push(
      check(
        'create',
        'create (POST /users)',
        'failed',
        describeAnswer(created),
        'onboarding cannot create accounts: the message says why',
      ),
    );
    return;
  }
  checks.push(
    check(
      'token-level',
      'token level',
      'ok',
      `create → HTTP ${created.status}`,
      'changes users with this token',
    ),
  );
  const shape = `HTTP ${created.status}, Location ${created.location ? 'yes' : 'no'}, body ${createdUser.success ? 'a user' : 'none'}`;
  checks.push(
    createdUser.success && (created.status === 200 || created.status === 201)
      ? check('create', 'create (POST /users)', 'ok', shape, 'uses the user in the answer')
      : check(
          'create',
          'create (POST /users)',
          'differs',
          shape,
          'reads the new user back (by Location, else by externalID) and never sends the create twice',
        ),
  );

  const found = await withExternalIdLookupDecided(() => client.findUserByExternalId(externalID));
  if (!found) {
    checks.push(
      check(
        'externalid-pending',
        'look-up finds a pending user',
        'failed',
        `${externalID} not found after its create`,
        'onboarding would not find accounts it created: report this to the project',
      ),
    );
    return;
  }
  const userId = createdUser.success ? createdUser.data.id : (locationId ?? found.id);
  checks.push(await statusLookupCheck(context, externalID, 'pending', found.id));
  if (!context.userShapeChecked) {
    const single = await probe.send('GET', userPath(userId));
    checks.push(
      ...shapeChecks('user', 'GET /users/{id}', summarizeUsers(single.status === 200 ? [single.json] : [])),
    );
  }

  // While it is pending: the invitation code the reminders carry, recovery, and group membership.
  checks.push(await invitationSecretCheck(probe, userId));
  checks.push(await pendingRecoveryCheck(probe, userId));
  checks.push(await groupMembershipCheck(probe, userId, context.groupId));

  const duplicate = await probe.send('POST', '/users', { body });
  checks.push(
    duplicate.status === 409
      ? check(
          'duplicate-create',
          'duplicate create',
          'ok',
          'HTTP 409',
          'a racing or retried create leads to a re-lookup and adopts the account',
        )
      : duplicate.status === 400
        ? check(
            'duplicate-create',
            'duplicate create',
            'differs',
            describeAnswer(duplicate),
            'every create is preceded by a look-up, so only a true race meets this; it fails that attempt, the retry adopts the account',
          )
        : check(
            'duplicate-create',
            'duplicate create',
            'failed',
            describeAnswer(duplicate),
            'the tenant accepted a second user with the same externalID: look-ups must stay exact, report this',
          ),
  );

  checks.push(await partialUpdateCheck(probe, userId));
  checks.push(...(await placementChecks(probe, userId, context.profileModel)));

  const deactivated = await client.deactivateUser(userId);
  checks.push(statusPutCheck('deactivate', deactivated.status, true, 'offboarding deactivates this way'));
  checks.push(await statusLookupCheck(context, externalID, 'deactivated', userId));
  const reactivated = await client.reactivateUser(userId);
  checks.push(statusPutCheck('reactivate', reactivated.status, false, 'a rehire reactivates this way'));

  const logout = await probe.send('DELETE', `${userPath(userId)}/sessions`);
  checks.push(
    check(
      'logout',
      'logout (DELETE /users/{id}/sessions)',
      logout.status >= 200 && logout.status < 300 ? 'ok' : 'failed',
      describeAnswer(logout),
      'offboarding ends every session this way',
    ),
  );

  checks.push(...(await deleteChecks(probe, userId)));
}
