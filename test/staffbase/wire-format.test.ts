import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultWireFormat, plainJsonWireFormat } from '../../staffbase/wire-format';

describe('plain application/json wire format', () => {
  it('is the default and uses application/json both ways', () => {
    assert.equal(defaultWireFormat, plainJsonWireFormat);
    assert.equal(plainJsonWireFormat.accept, 'application/json');
    assert.equal(plainJsonWireFormat.contentType, 'application/json');
  });

  it('maps a full create input to the documented body', () => {
    const body = plainJsonWireFormat.createUserBody({
      externalID: 'E1',
      userName: 'ada',
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@example.com',
      sendMail: true,
      locale: 'de_DE',
      groupIDs: ['g1'],
      profile: { department: 'R&D' },
    });
    assert.deepEqual(body, {
      externalID: 'E1',
      userName: 'ada',
      firstName: 'Ada',
      lastName: 'Lovelace',
      emails: [{ value: 'ada@example.com', primary: true }],
      sendMail: true,
      // The default placement (legacy model): a system field at the top level of the user.
      department: 'R&D',
      groupIDs: ['g1'],
      config: { locale: 'de_DE' },
    });
  });

  it('leaves optional create fields out rather than sending null', () => {
    const body = plainJsonWireFormat.createUserBody({
      externalID: 'E1',
      userName: 'ada',
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@example.com',
      sendMail: false,
    });
    assert.deepEqual(Object.keys(body as object).sort(), [
      'emails',
      'externalID',
      'firstName',
      'lastName',
      'sendMail',
      'userName',
    ]);
    assert.equal(JSON.stringify(body).includes('null'), false);
  });

  it('sends only the fields present in a patch', () => {
    assert.deepEqual(plainJsonWireFormat.userPatchBody({ lastName: 'Byron' }), { lastName: 'Byron' });
    assert.deepEqual(plainJsonWireFormat.userPatchBody({ email: 'a@b.c', locale: 'en_US', groupIDs: [] }), {
      emails: [{ value: 'a@b.c', primary: true }],
      config: { locale: 'en_US' },
      groupIDs: [],
    });
    assert.deepEqual(plainJsonWireFormat.userPatchBody({ firstName: undefined }), {});
  });

  it('maps status changes and group additions', () => {
    assert.deepEqual(plainJsonWireFormat.statusChangeBody('deactivated'), { status: 'deactivated' });
    assert.deepEqual(plainJsonWireFormat.groupMembersBody(['u1', 'u2']), ['u1', 'u2']);
  });

  it('parses users loosely: extra fields kept, nulls accepted, emails defaulted', () => {
    const user = plainJsonWireFormat.user.parse({
      id: '5c1b6a2f9f1e2a0001a1b2c3',
      externalID: null,
      userName: 'ada',
      firstName: 'Ada',
      lastName: 'Lovelace',
      emails: null,
      status: 'pending',
      role: null,
      profile: { department: 'R&D', level: 3 },
      config: { locale: null, theme: 'dark' },
      secret: { plain: 'abc', expires: -1 },
      somethingNew: 42,
    });
    assert.deepEqual(user.emails, []);
    assert.equal(user.secret?.expires, -1);
    assert.equal((user as Record<string, unknown>).somethingNew, 42);
    assert.equal(user.profile?.level, 3);
  });

  it('reads an unknown status as unmanaged, keeping what was sent', () => {
    const result = plainJsonWireFormat.user.parse({ id: 'x', userName: 'a', status: 'gone' });
    assert.equal(result.status, 'unmanaged');
    assert.equal(result.reportedStatus, 'gone');
  });

  it('rejects a user without a usable id', () => {
    const result = plainJsonWireFormat.user.safeParse({ userName: 'a', status: 'pending' });
    assert.equal(result.success, false);
    assert.deepEqual(
      result.error?.issues.map((issue) => issue.path.join('.')),
      ['id'],
    );
  });
});
