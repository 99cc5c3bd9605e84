/**
 * Where the tenant keeps the system profile fields and how its PUT treats `profile` (`--write` only,
 * on the throwaway user): each finding names the setting it recommends, STAFFBASE_PROFILE_PLACEMENT
 * or STAFFBASE_PROFILE_UPDATE (staffbase/api-choices.ts), and fails when the configured one would
 * break changes.
 */
import type { ProfilePlacement, ProfileUpdateMode } from '../../staffbase/api-choices';
import type { ProfileModel } from '../../staffbase/wire-format';
import { type DoctorProbe, describeAnswer, userPath } from './probe';
import { type DoctorCheck, check } from './report';

/** The system field the probe writes; any of the five would do. */
const PROBED_FIELD = 'department';

type Landing = ProfilePlacement | 'refused' | 'dropped';

interface Probed {
  landing: Landing;
  /** The answer, for the finding, when the write was refused. */
  refusal?: string;
}

/** PUTs `body`, reads the user back and says where `value` shows: at the top level, under profile, nowhere. */
async function writeAndLocate(
  probe: DoctorProbe,
  userId: string,
  body: Record<string, unknown>,
  value: string,
): Promise<Probed> {
  const put = await probe.send('PUT', userPath(userId), { body });
  if (put.status < 200 || put.status >= 300) return { landing: 'refused', refusal: describeAnswer(put) };
  const read = await probe.send('GET', userPath(userId));
  const user = (read.json ?? {}) as Record<string, unknown>;
  const profile = (user.profile ?? {}) as Record<string, unknown>;
  if (user[PROBED_FIELD] === value) return { landing: 'top-level' };
  if (profile[PROBED_FIELD] === value) return { landing: 'profile' };
  return { landing: 'dropped' };
}

function describeLanding(sent: string, probed: Probed): string {
  if (probed.landing === 'refused') return `${sent} → refused (${probed.refusal ?? 'no answer'})`;
  if (probed.landing === 'dropped') return `${sent} → accepted, not shown on the user`;
  return `${sent} → read back ${probed.landing === 'top-level' ? 'at the top level' : 'under profile'}`;
}

/**
 * Writes `department` at the top level, then under `profile`, reading back after each. A value kept
 * at the top level means the legacy model (a value under `profile` there may be a custom field of the
 * same name); otherwise a value shown under `profile` means the newer model.
 */
export async function profilePlacementCheck(
  probe: DoctorProbe,
  userId: string,
  configured: ProfilePlacement,
): Promise<DoctorCheck> {
  const title = `where system profile fields land (${PROBED_FIELD})`;
  const topLevel = await writeAndLocate(probe, userId, { [PROBED_FIELD]: 'Doctor top' }, 'Doctor top');
  const inProfile = await writeAndLocate(
    probe,
    userId,
    { profile: { [PROBED_FIELD]: 'Doctor profile' } },
    'Doctor profile',
  );
  const found = `${describeLanding(`PUT {${PROBED_FIELD}}`, topLevel)}; ${describeLanding(
    `PUT {profile: {${PROBED_FIELD}}}`,
    inProfile,
  )}`;
  const recommended: ProfilePlacement | undefined =
    topLevel.landing === 'top-level'
      ? 'top-level'
      : topLevel.landing === 'profile' || inProfile.landing === 'profile'
        ? 'profile'
        : undefined;
  if (recommended === undefined) {
    return check(
      'profile-placement',
      title,
      'failed',
      found,
      'neither place keeps the field: HR changes of position, department, location, phone or public email would be lost, report this',
    );
  }
  const setting = `STAFFBASE_PROFILE_PLACEMENT=${recommended}`;
  const recommends = { recommends: { variable: 'STAFFBASE_PROFILE_PLACEMENT', value: recommended } };
  return recommended === configured
    ? check(
        'profile-placement',
        title,
        'ok',
        found,
        `sends system fields as configured (${setting})`,
        recommends,
      )
    : check(
        'profile-placement',
        title,
        'failed',
        found,
        `set ${setting} (configured: ${configured}): changes of system fields would be refused or misplaced`,
        recommends,
      );
}

/** Whether a PUT of one custom profile field keeps another, compared with STAFFBASE_PROFILE_UPDATE. */
export async function profileUpdateCheck(
  probe: DoctorProbe,
  userId: string,
  configured: ProfileUpdateMode,
): Promise<DoctorCheck> {
  const title = 'partial update of profile: merge or replace';
  const first = await probe.send('PUT', userPath(userId), { body: { profile: { doctorA: 'a' } } });
  if (first.status === 400) {
    return check(
      'profile-update',
      title,
      'differs',
      `unknown profile fields refused (${describeAnswer(first)})`,
      `changes send only fields HR names, which the tenant defines; keep STAFFBASE_PROFILE_UPDATE=${configured}`,
    );
  }
  await probe.send('PUT', userPath(userId), { body: { profile: { doctorB: 'b' } } });
  const read = await probe.send('GET', userPath(userId));
  const profile = (read.json as { profile?: Record<string, unknown> } | undefined)?.profile ?? {};
  if (profile.doctorB !== 'b') {
    return check(
      'profile-update',
      title,
      'differs',
      'unknown profile fields are dropped',
      `changes send only fields HR names, which the tenant defines; keep STAFFBASE_PROFILE_UPDATE=${configured}`,
    );
  }
  const behaves: ProfileUpdateMode = profile.doctorA === 'a' ? 'merge' : 'replace';
  const found = behaves === 'merge' ? 'merged field by field' : 'replaced (the earlier field is gone)';
  const recommends = { recommends: { variable: 'STAFFBASE_PROFILE_UPDATE', value: behaves } };
  if (behaves === configured) {
    return check(
      'profile-update',
      title,
      'ok',
      found,
      `sends ${behaves === 'merge' ? 'only the changed fields' : 'the profile as read with its changes'} (STAFFBASE_PROFILE_UPDATE=${behaves})`,
      recommends,
    );
  }
  return behaves === 'merge'
    ? check(
        'profile-update',
        title,
        'differs',
        found,
        'sends the profile as read with its changes, correct either way; set STAFFBASE_PROFILE_UPDATE=merge to send only the changed fields',
        recommends,
      )
    : check(
        'profile-update',
        title,
        'failed',
        found,
        'set STAFFBASE_PROFILE_UPDATE=replace (configured: merge): a change would lose the profile fields it does not send',
        recommends,
      );
}

/** Both profile findings, in the order the report shows them. */
export async function placementChecks(
  probe: DoctorProbe,
  userId: string,
  configured: ProfileModel,
): Promise<DoctorCheck[]> {
  return [
    await profileUpdateCheck(probe, userId, configured.update),
    await profilePlacementCheck(probe, userId, configured.placement),
  ];
}
