/**
 * Where the five system profile fields go (issue 27): the wire format per placement and PUT model,
 * the reader taking them from either place, and create + change against the simulator's two
 * placement profiles over real HTTP (the call log shows each body as sent).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ProfilePlacement, ProfileUpdateMode } from '../../staffbase/api-choices';
import { StaffbaseClient } from '../../staffbase/client';
import { StaffbaseValidationError } from '../../staffbase/errors';
import { staffbaseAccountSchema } from '../../staffbase/schemas';
import { plainJsonWireFormatFor } from '../../staffbase/wire-format';
import { createSupportActivities } from '../../activities/support-activities';
import { planMoverChangedFields } from '../../lifecycle/support-guards';
import type { SimulatorControl } from '../../simulator/control-client';
import type { RunningSimulator } from '../../simulator/server';
import { startTestSimulator } from '../helpers/simulator';

const asRead = { department: 'Sales', position: 'Rep', costCenter: '42', badge: '7' };
const change = { department: 'Marketing', costCenter: '43' };

describe('wire format: system profile fields per placement', () => {
  const wire = (placement: ProfilePlacement, update: ProfileUpdateMode) =>
    plainJsonWireFormatFor({ placement, update });

  it('top-level + replace: changed system fields at the top level; profile completed with custom fields only', () => {
    assert.deepEqual(wire('top-level', 'replace').userPatchBody({ profile: change, profileAsRead: asRead }), {
      department: 'Marketing',
      profile: { costCenter: '43', badge: '7' },
    });
  });

  it('top-level + merge: the changed custom field alone under profile', () => {
    assert.deepEqual(wire('top-level', 'merge').userPatchBody({ profile: change, profileAsRead: asRead }), {
      department: 'Marketing',
      profile: { costCenter: '43' },
    });
  });

  it('a system field change alone sends no profile object at all', () => {
    for (const update of ['replace', 'merge'] as const) {
      assert.deepEqual(
        wire('top-level', update).userPatchBody({ profile: { position: 'Lead' }, profileAsRead: asRead }),
        { position: 'Lead' },
      );
    }
  });

  it('profile + replace: the whole profile as read with the changes (a replacing PUT loses nothing)', () => {
    assert.deepEqual(wire('profile', 'replace').userPatchBody({ profile: change, profileAsRead: asRead }), {
      profile: { department: 'Marketing', position: 'Rep', costCenter: '43', badge: '7' },
    });
  });

  it('profile + merge: only the changed fields, system and custom, under profile', () => {
    assert.deepEqual(wire('profile', 'merge').userPatchBody({ profile: change, profileAsRead: asRead }), {
      profile: { department: 'Marketing', costCenter: '43' },
    });
  });

  it('a patch without the profile as read (runs before the patch) is sent as given, placed', () => {
    assert.deepEqual(wire('top-level', 'replace').userPatchBody({ profile: { ...asRead, ...change } }), {
      department: 'Marketing',
      position: 'Rep',
      profile: { costCenter: '43', badge: '7' },
    });
  });

  it('a create places system fields per placement and keeps custom ones under profile', () => {
    const input = {
      externalID: 'E1',
      userName: 'ada',
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@example.com',
      sendMail: false,
      profile: { department: 'R&D', phoneNumber: '+49 1', costCenter: '42' },
    };
    const topLevel = wire('top-level', 'replace').createUserBody(input) as Record<string, unknown>;
    assert.equal(topLevel.department, 'R&D');
    assert.equal(topLevel.phoneNumber, '+49 1');
    assert.deepEqual(topLevel.profile, { costCenter: '42' });
    const inProfile = wire('profile', 'replace').createUserBody(input) as Record<string, unknown>;
    assert.equal(inProfile.department, undefined);
    assert.deepEqual(inProfile.profile, input.profile);
  });
});

describe('reader: system fields from either place into profile', () => {
  it('folds top-level system fields into profile; a profile-only user reads as sent', () => {
    const legacy = staffbaseAccountSchema.parse({
      id: 'u1',
      status: 'activated',
      department: 'R&D',
      publicEmailAddress: 'desk@example.test',
      profile: { costCenter: '42' },
    });
    assert.deepEqual(legacy.profile, {
      costCenter: '42',
      department: 'R&D',
      publicEmailAddress: 'desk@example.test',
    });
    const newer = staffbaseAccountSchema.parse({
      id: 'u2',
      status: 'activated',
      profile: { department: 'HR' },
    });
    assert.deepEqual(newer.profile, { department: 'HR' });
    const none = staffbaseAccountSchema.parse({ id: 'u3', status: 'activated', position: null });
    assert.equal(none.profile, null);
  });
});

/** Each simulator placement profile with the client settings that match it. */
const models = [
  { shapes: 'placement-top-level', placement: 'top-level', update: 'replace' },
  { shapes: 'placement-profile', placement: 'profile', update: 'merge' },
] as const;

for (const model of models) {
  describe(`against the simulator's ${model.shapes} (real HTTP)`, () => {
    let simulator: RunningSimulator;
    let control: SimulatorControl;
    let client: StaffbaseClient;
    let wrongClient: StaffbaseClient;
    let seq = 0;
    const other: ProfilePlacement = model.placement === 'top-level' ? 'profile' : 'top-level';

    before(async () => {
      const started = await startTestSimulator({ shapes: model.shapes });
      simulator = started.simulator;
      control = started.control;
      const base = { baseUrl: simulator.apiUrl, token: started.token, requestTimeoutMs: 5_000 };
      client = new StaffbaseClient({
        ...base,
        profilePlacement: model.placement,
        profileUpdate: model.update,
      });
      wrongClient = new StaffbaseClient({ ...base, profilePlacement: other });
    });
    after(async () => {
      await Promise.allSettled([client.close(), wrongClient.close()]);
      await simulator.close();
    });
    /** The calls the simulator received after `mark` (a length of its log). */
    const callsSince = async (mark: number) => (await control.log()).slice(mark);
    const mark = async () => (await control.log()).length;

    const newHire = () => {
      seq += 1;
      const id = `${process.pid}-${seq}`;
      return {
        externalID: `placement-${id}`,
        userName: `placement.${id}`,
        firstName: 'Grace',
        lastName: 'Hopper',
        email: `placement.${id}@example.test`,
        sendMail: false,
        profile: { department: 'Sales', position: 'Rep', costCenter: '42', badge: '7' },
      };
    };

    it('a create lands each field where this model keeps it, and reads back as one profile', async () => {
      const hire = newHire();
      const since = await mark();
      const created = await client.createUser(hire);
      assert.deepEqual(created.profile, hire.profile);
      const post = (await callsSince(since)).find((call) => call.routeKey === 'POST /users');
      const body = post?.body as Record<string, unknown>;
      const stored = await control.user(created.id);
      if (model.placement === 'top-level') {
        assert.equal(body.department, 'Sales');
        assert.deepEqual(body.profile, { costCenter: '42', badge: '7' });
        assert.equal(stored?.department, 'Sales');
        assert.deepEqual(stored?.profile, { costCenter: '42', badge: '7' });
      } else {
        assert.equal(body.department, undefined);
        assert.deepEqual(body.profile, hire.profile);
        assert.equal(stored?.department, undefined);
        assert.deepEqual(stored?.profile, hire.profile);
      }
    });

    it('a client of the other placement is refused with a 400 naming the field; nothing is created', async () => {
      const hire = newHire();
      const refused = await wrongClient.createUser(hire).then(
        () => undefined,
        (error: unknown) => error,
      );
      assert.ok(refused instanceof StaffbaseValidationError, String(refused));
      assert.match(refused.staffbase?.message ?? '', /\bposition\b|\bdepartment\b/);
      assert.equal(await control.user(hire.externalID), undefined);
    });

    it('a mover change (read, compare, write) sends only the changed fields and keeps the rest', async () => {
      const created = await client.createUser(newHire());
      const support = createSupportActivities(client);
      const current = await support.lookUpUser(created.externalID ?? '');
      assert.ok(current);
      const plan = planMoverChangedFields(current, { externalID: current.externalID ?? '', profile: change });
      assert.deepEqual(plan.changedFields, ['profile.department', 'profile.costCenter']);
      const since = await mark();
      assert.equal(
        await support.updateUserFields({ staffbaseUserId: created.id, patch: plan.patch }),
        'updated',
      );
      const put = (await callsSince(since)).find((call) => call.routeKey === 'PUT /users/:id');
      assert.deepEqual(
        put?.body,
        model.placement === 'top-level'
          ? { department: 'Marketing', profile: { costCenter: '43', badge: '7' } }
          : { profile: { department: 'Marketing', costCenter: '43' } },
      );
      const reread = await client.getUser(created.id);
      assert.deepEqual(reread.profile, {
        department: 'Marketing',
        position: 'Rep',
        costCenter: '43',
        badge: '7',
      });
    });
  });
}
