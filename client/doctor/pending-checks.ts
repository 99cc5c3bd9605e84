/**
 * Checks on the throwaway user while it is still pending (created with `sendMail: false`): whether its
 * invitation code (`secret.plain`) is readable, which the reminder mails carry; how recovery answers
 * for a pending user; and, with `--group <id>`, whether group membership writes work. The code itself
 * is never reported, only whether it is there.
 */
import { ALL_USER_STATUSES } from '../../staffbase/api-choices';
import { and, groupMember, statusCondition } from '../../staffbase/filters';
import { defaultWireFormat } from '../../staffbase/wire-format';
import { type DoctorProbe, describeAnswer, listOf, userPath } from './probe';
import { type DoctorCheck, check } from './report';

const isSuccess = (status: number) => status >= 200 && status < 300;

export async function invitationSecretCheck(probe: DoctorProbe, userId: string): Promise<DoctorCheck> {
  const title = 'invitation code of a pending user (secret.plain)';
  const read = await probe.send('GET', userPath(userId));
  const secret = (read.json as { secret?: unknown } | undefined)?.secret;
  const plain =
    typeof secret === 'object' && secret !== null ? (secret as { plain?: unknown }).plain : undefined;
  if (read.status !== 200) {
    return check(
      'invitation-secret',
      title,
      'failed',
      `GET /users/{id} → ${describeAnswer(read)}`,
      'report this',
    );
  }
  return typeof plain === 'string' && plain !== ''
    ? check(
        'invitation-secret',
        title,
        'ok',
        'readable (value not shown)',
        'reminder mails carry the invitation code',
        { details: { secretReadable: true } },
      )
    : check(
        'invitation-secret',
        title,
        'differs',
        secret === undefined ? 'no secret field' : 'secret without a plain code',
        'reminder mails go out without the invitation code (they point to the app instead)',
        { details: { secretReadable: false } },
      );
}

export async function pendingRecoveryCheck(probe: DoctorProbe, userId: string): Promise<DoctorCheck> {
  const title = 'recovery code for a pending user';
  const answer = await probe.send('POST', `${userPath(userId)}/recovery`);
  if (isSuccess(answer.status)) {
    return check(
      'recovery-pending',
      title,
      'ok',
      `accepted: ${describeAnswer(answer)} (the throwaway address is @example.com)`,
      'support can send a recovery code to a pending user too; the reminders remain the way in',
      { details: { status: answer.status } },
    );
  }
  return check(
    'recovery-pending',
    title,
    'differs',
    `refused: ${describeAnswer(answer)}${answer.status === 404 ? ' (a 404 may mean "not permitted")' : ''}`,
    'recovery works only once the account is activated; pending people get the invitation reminders',
    { details: { status: answer.status } },
  );
}

/** `--group <id>`: adds the throwaway user and lists the group's members; its deletion ends the membership. */
export async function groupMembershipCheck(
  probe: DoctorProbe,
  userId: string,
  groupId: string | undefined,
): Promise<DoctorCheck> {
  const title = 'group membership write (POST /groups/{id}/users)';
  if (groupId === undefined) {
    return check('group-membership', title, 'skipped', 'no group given', 'run the doctor with --group <id>');
  }
  const added = await probe.send('POST', `/groups/${encodeURIComponent(groupId)}/users`, {
    body: defaultWireFormat.groupMembersBody([userId]),
  });
  if (!isSuccess(added.status)) {
    return check(
      'group-membership',
      title,
      'failed',
      `add → ${describeAnswer(added)}${added.status === 404 ? ' (unknown group, or not permitted)' : ''}`,
      'lifecycles that add people to groups would fail: check the group id and the token’s rights',
    );
  }
  const members = await probe.send('GET', '/users', {
    query: { filter: and(groupMember(groupId), statusCondition(ALL_USER_STATUSES)), limit: 100 },
  });
  const listed = (listOf(members.json) ?? []).some((user) => user.id === userId);
  return listed
    ? check(
        'group-membership',
        title,
        'ok',
        `add → HTTP ${added.status}; the group's member list shows the user`,
        'adds people to groups this way; deleting the throwaway user ends its membership',
      )
    : check(
        'group-membership',
        title,
        'failed',
        `add → HTTP ${added.status}, but \`groups eq\` does not list the user (${describeAnswer(members)})`,
        'group members cannot be listed: report this tenant answer',
      );
}
