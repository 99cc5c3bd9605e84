/**
 * The client, the bulk look-up activity and a whole onboarding + offboarding run against every
 * simulator response-shape profile (simulator/shapes.ts): whatever documented shape a tenant answers
 * in, the project reads it, acts only on managed users and creates each account exactly once.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StaffbaseNotFoundError, StaffbaseUnmanagedUserError } from '../../staffbase/errors';
import { createSupportActivities } from '../../activities/support-activities';
import { startOffboarding, startOnboarding } from '../../client/lifecycle-runs';
import { startMover, supportRunHandle } from '../../client/support-runs';
import { type MoverOutcome } from '../../workflows/support-messages';
import { SHAPE_PROFILES, parseShapes } from '../../simulator/shapes';
import { withExternalIdLookupDecided } from '../../staffbase/external-id-lookup';
import { type OffboardingOutcome } from '../../workflows/offboarding-messages';
import { onboardingStatusQuery } from '../../workflows/onboarding-messages';
import { onboardingActivatedSignal, type OnboardingOutcome } from '../../workflows/onboarding-messages';
import { type LifecycleTestStack, useLifecycleTestStack } from '../helpers/lifecycle-stack';
import { newHire, offboardingPolicy, onboardingPolicy, uniqueSuffix } from '../helpers/people';
import { waitFor } from '../helpers/waiting';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

for (const profile of Object.keys(SHAPE_PROFILES)) {
  const variants = parseShapes(profile);
  const unmanagedInLists = variants.includes('unmanaged-users');
  const systemFieldsInProfile = variants.includes('system-fields-in-profile');

  describe(`shape profile ${profile}`, () => {
    let stack: LifecycleTestStack;
    useLifecycleTestStack(
      {
        server: 'time-skipping',
        longLivedWorkers: true,
        simulatorShapes: profile,
        // The client set as `doctor --write` would recommend: a tenant of the newer user model needs
        // the matching placement (a 400 otherwise); a merging PUT lets a change send only its fields.
        staffbaseProfile: {
          placement: systemFieldsInProfile ? 'profile' : 'top-level',
          update: variants.includes('profile-put-replaces') ? 'replace' : 'merge',
        },
      },
      (started) => (stack = started),
    );

    it('the simulator answers in this profile', async () => {
      assert.deepEqual((await stack.control.shapes()).variants, variants);
    });

    it('every client operation reads the answers and acts on managed users only', async () => {
      const client = stack.staffbase;
      const id = uniqueSuffix();
      const externalID = `shape-${id}`;
      const created = await client.createUser({
        externalID,
        userName: `shape.${id}`,
        firstName: 'Grace',
        lastName: 'Hopper',
        email: `shape.${id}@example.test`,
        sendMail: false,
        profile: { department: 'R&D' },
      });
      assert.match(created.id, /^[0-9a-f]{24}$/);
      assert.equal(created.status, 'pending');
      assert.equal(created.role, 'reader');
      assert.match(created.created ?? '', ISO);
      assert.equal(created.profile?.department, 'R&D');

      assert.equal((await client.getUser(created.id)).externalID, externalID);
      // On a tenant that refuses `externalId eq`, the first look-ups decide (one request each).
      const found = await withExternalIdLookupDecided(() => client.findUserByExternalId(externalID));
      assert.equal(found?.id, created.id);
      assert.equal(
        client.externalIdLookupMode,
        variants.includes('externalid-presence-only') ? 'path' : 'filter',
      );
      assert.equal(await client.findUserByExternalId(`${externalID}-nobody`), undefined);

      assert.equal((await client.updateUser(created.id, { lastName: 'Murray' })).lastName, 'Murray');
      assert.equal((await client.deactivateUser(created.id)).status, 'deactivated');
      assert.equal((await client.findUserByExternalId(externalID))?.status, 'deactivated');
      assert.equal((await client.reactivateUser(created.id)).status, 'pending');
      await stack.control.login(created.id);
      const activated = await client.getUser(externalID);
      assert.equal(activated.status, 'activated');
      assert.match(activated.activated ?? '', ISO);
      await client.logoutEverywhere(created.id);
      assert.equal((await stack.control.user(created.id))?.sessions, 0);
      await client.addUsersToGroup(`team-${id}`, [created.id]);
      const members: string[] = [];
      for await (const member of client.listGroupMembers(`team-${id}`)) {
        if (member.status !== 'unmanaged') members.push(member.id);
      }
      assert.deepEqual(members, [created.id]);

      const page = await client.listUsersPage({ statuses: ['activated'], offset: 0, limit: 100 });
      const unmanaged = page.users.filter((user) => user.status === 'unmanaged');
      assert.deepEqual(
        unmanaged.map((user) => user.reportedStatus),
        unmanagedInLists ? ['contact', 'deleted'] : [],
      );
      assert.ok(page.users.some((user) => user.id === created.id));
      if (unmanagedInLists) {
        await assert.rejects(client.getUser('sim-contact-1'), StaffbaseUnmanagedUserError);
        await assert.rejects(client.getUser('sim-deleted-1'), StaffbaseNotFoundError);
      }

      // A bulk run's page: only managed users are handed on; the others are reported.
      const bulkPage = await createSupportActivities(client).listMatchingUsers({
        statuses: ['activated'],
        offset: 0,
        limit: 100,
        detail: 'ids',
      });
      assert.equal(bulkPage.result, 'page');
      if (bulkPage.result === 'page') {
        assert.ok(bulkPage.ids.includes(created.id));
        assert.ok(!bulkPage.ids.some((listed) => listed.startsWith('5ca1ab1e')));
        assert.deepEqual(
          (bulkPage.unmanaged ?? []).map((user) => user.status),
          unmanagedInLists ? ['contact', 'deleted'] : [],
        );
      }

      assert.equal(await client.deleteUser(created.id), 'deleted');
      assert.equal(await client.deleteUser(created.id), 'already-gone');
      assert.equal(await client.findUserByExternalId(externalID), undefined);
    });

    it('a mover run writes only the changed fields, where this profile keeps them', async () => {
      const id = uniqueSuffix();
      const seeded = await stack.control.seedUser({
        externalID: `mover-${id}`,
        userName: `mover.${id}`,
        firstName: 'Grace',
        lastName: 'Hopper',
        emails: [{ value: `mover.${id}@example.test`, primary: true }],
        status: 'activated',
        ...(systemFieldsInProfile
          ? { profile: { department: 'Sales', position: 'Rep', costCenter: '42', badge: '7' } }
          : {
              topLevel: { department: 'Sales', position: 'Rep' },
              profile: { costCenter: '42', badge: '7' },
            }),
      });
      const calls = (await stack.control.log()).length;
      const started = stack.track(
        await startMover(stack.env.client, {
          externalID: `mover-${id}`,
          profile: { department: 'Marketing', position: 'Rep', costCenter: '43' },
        }),
      );
      const outcome = (await supportRunHandle(stack.env.client, started.workflowId).result()) as MoverOutcome;
      assert.deepEqual(outcome.changedFields, ['profile.department', 'profile.costCenter']);
      const put = (await stack.control.log())
        .slice(calls)
        .find((call) => call.routeKey === 'PUT /users/:id' && call.path.endsWith(seeded.id));
      const replaces = variants.includes('profile-put-replaces');
      const customSent = replaces ? { costCenter: '43', badge: '7' } : { costCenter: '43' };
      assert.deepEqual(
        put?.body,
        systemFieldsInProfile
          ? { profile: { department: 'Marketing', costCenter: '43' } }
          : { department: 'Marketing', profile: customSent },
        'the unchanged position is never sent; custom fields per STAFFBASE_PROFILE_UPDATE',
      );
      assert.deepEqual((await stack.staffbase.getUser(seeded.id)).profile, {
        department: 'Marketing',
        position: 'Rep',
        costCenter: '43',
        badge: '7',
      });
    });

    it('an onboarding and an offboarding run end as they should, with one account created', async () => {
      const hire = newHire();
      const client = stack.env.client;
      const onboarding = stack.track(await startOnboarding(client, hire, onboardingPolicy()));
      const handle = client.workflow.getHandle(onboarding.workflowId);
      await waitFor(
        () => handle.query(onboardingStatusQuery),
        (status) => status.stage === 'awaiting-activation',
        { what: 'awaiting-activation' },
      );
      const account = await stack.control.user(hire.externalID);
      assert.equal(account?.status, 'pending');
      await stack.control.activate(hire.externalID);
      await handle.signal(onboardingActivatedSignal, { source: 'shape-profile-test' });
      const onboarded = (await handle.result()) as OnboardingOutcome;
      assert.equal(onboarded.result, 'activated');
      assert.equal(onboarded.staffbaseUserId, account?.id);

      const offboarding = stack.track(
        await startOffboarding(
          client,
          { externalID: hire.externalID, retentionDays: 1 },
          offboardingPolicy(),
        ),
      );
      const offboardingHandle = client.workflow.getHandle(offboarding.workflowId);
      await waitFor(
        async () => (await stack.control.user(hire.externalID))?.status,
        (status) => status === 'deactivated',
        { what: 'deactivated' },
      );
      await stack.env.sleep('2 days');
      const offboarded = (await offboardingHandle.result()) as OffboardingOutcome;
      assert.equal(offboarded.result, 'deleted');
      assert.equal(await stack.control.user(hire.externalID), undefined);

      const effects = (await stack.control.effects()).filter(
        (effect) => effect.externalID === hire.externalID,
      );
      assert.deepEqual(
        effects.map((effect) => effect.kind),
        ['created', 'activated', 'logged-out', 'deactivated', 'deleted'],
      );
    });
  });
}
