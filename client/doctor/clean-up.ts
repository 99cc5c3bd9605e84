/**
 * Removes every user with the doctor's throwaway externalID (also a duplicate a tenant may have
 * accepted), then checks that none is left, by both documented look-ups.
 */
import { ALL_USER_STATUSES } from '../../staffbase/api-choices';
import { and, externalIdEquals, statusCondition } from '../../staffbase/filters';
import { type DoctorProbe, userPath } from './probe';
import { type DoctorCheck, check } from './report';

async function remaining(probe: DoctorProbe, externalID: string): Promise<string[]> {
  const ids = new Set<string>();
  const listed = await probe.send('GET', '/users', {
    query: { filter: and(externalIdEquals(externalID), statusCondition(ALL_USER_STATUSES)), limit: 100 },
  });
  const data = (listed.json as { data?: { id?: unknown; externalID?: unknown }[] } | undefined)?.data ?? [];
  for (const user of data)
    if (user.externalID === externalID && typeof user.id === 'string') ids.add(user.id);
  const byPath = await probe.send('GET', userPath(externalID));
  const user = byPath.json as { id?: unknown; externalID?: unknown; status?: unknown } | undefined;
  if (
    byPath.status === 200 &&
    user?.externalID === externalID &&
    typeof user.id === 'string' &&
    user.status !== 'deleted'
  ) {
    ids.add(user.id);
  }
  return [...ids];
}

export async function cleanUp(probe: DoctorProbe, externalID: string): Promise<DoctorCheck> {
  const title = 'clean-up of the throwaway user';
  try {
    for (const id of await remaining(probe, externalID)) await probe.send('DELETE', userPath(id));
    const left = await remaining(probe, externalID);
    return left.length === 0
      ? check('cleanup', title, 'ok', `no user with externalID ${externalID} is left`, 'nothing to do')
      : check(
          'cleanup',
          title,
          'failed',
          `left behind: ${left.join(', ')} (${externalID})`,
          'delete these users in Studio',
        );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return check(
      'cleanup',
      title,
      'failed',
      `could not check or delete ${externalID}: ${message}`,
      'look for this externalID in Studio and delete it',
    );
  }
}
