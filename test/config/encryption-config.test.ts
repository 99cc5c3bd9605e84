import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import {
  ApplicationFailure,
  METADATA_ENCODING_KEY,
  type Payload,
  defaultPayloadConverter,
} from '@temporalio/common';
import { failureConverter } from '../../lifecycle/payload-codec/failure-converter';
import { ConfigError } from '../../config/config-error';
import { AesGcmPayloadCodec, METADATA_KEY_ID } from '../../lifecycle/payload-codec/aes-gcm-codec';
import { encryptionConfigFromEnv } from '../../config/encryption';
import { createKeyRing, keyIdOf } from '../../lifecycle/payload-codec/key-ring';
import { isUnencryptedPayloadStandIn } from '../../lifecycle/payload-codec/unencrypted-payload';
import { isHttpsOrLoopback, staffbaseConfigFromEnv } from '../../config/staffbase';

const key = () => randomBytes(32);
const person = { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' };
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');

function variablesOf(read: () => unknown): string[] {
  try {
    read();
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.variables;
  }
  return [];
}

describe('AesGcmPayloadCodec', () => {
  it('encrypts the whole payload, names the key id, and decrypts it back', async () => {
    const material = key();
    const codec = new AesGcmPayloadCodec(createKeyRing(material));
    const payload = defaultPayloadConverter.toPayload(person);
    const [encoded] = await codec.encode([payload]);
    assert.ok(encoded);
    assert.equal(text(encoded.metadata?.[METADATA_ENCODING_KEY]), 'binary/encrypted');
    assert.equal(text(encoded.metadata?.[METADATA_KEY_ID]), keyIdOf(material));
    for (const clear of ['Ada', 'Lovelace', 'ada@example.com', 'json/plain']) {
      assert.ok(!Buffer.from(encoded.data ?? []).includes(clear), `${clear} is not in the ciphertext`);
    }
    const [decoded] = await codec.decode([encoded]);
    assert.deepEqual(defaultPayloadConverter.fromPayload(decoded as Payload), person);
  });

  it('decrypts with an old key during a rotation, and refuses an unknown key or altered data', async () => {
    const old = key();
    const [written] = await new AesGcmPayloadCodec(createKeyRing(old)).encode([
      defaultPayloadConverter.toPayload(person),
    ]);
    assert.ok(written);
    const rotated = new AesGcmPayloadCodec(createKeyRing(key(), [old]));
    const [read] = await rotated.decode([written]);
    assert.deepEqual(defaultPayloadConverter.fromPayload(read as Payload), person);
    // What the new key writes carries the new key's id.
    const [fresh] = await rotated.encode([defaultPayloadConverter.toPayload(1)]);
    assert.notEqual(text(fresh?.metadata?.[METADATA_KEY_ID]), keyIdOf(old));

    await assert.rejects(
      new AesGcmPayloadCodec(createKeyRing(key())).decode([written]),
      /LIFECYCLE_ENCRYPTION_OLD_KEYS/,
    );
    const altered = Buffer.from(written.data ?? []);
    altered[altered.length - 20] = (altered[altered.length - 20] ?? 0) ^ 1;
    await assert.rejects(rotated.decode([{ ...written, data: altered }]), /altered/);
  });

  it('passes payloads written before encryption through unchanged when migrating', async () => {
    const clear = defaultPayloadConverter.toPayload({ legacy: true });
    const [decoded] = await new AesGcmPayloadCodec(createKeyRing(key()), { acceptUnencrypted: true }).decode([
      clear,
    ]);
    assert.deepEqual(decoded, clear);
  });
});

describe('failure converter', () => {
  it('moves a failure’s message and stack into a payload, which the codec then encrypts', () => {
    const failure = failureConverter.errorToFailure(
      ApplicationFailure.nonRetryable('userName ada.lovelace is taken', 'Conflict'),
      defaultPayloadConverter,
    );
    assert.equal(failure.message, 'Encoded failure');
    assert.equal(failure.stackTrace, '');
    assert.ok(failure.encodedAttributes, 'message and stack travel as an (encryptable) payload');
    assert.ok(!JSON.stringify({ ...failure, encodedAttributes: undefined }).includes('ada.lovelace'));
  });
});

describe('AesGcmPayloadCodec on unencrypted payloads', () => {
  const plain = defaultPayloadConverter.toPayload(person);

  it('hands on a stand-in the workflow refuses, never the plaintext, unless it accepts unencrypted', async () => {
    const strict = new AesGcmPayloadCodec(createKeyRing(key()));
    const [refused] = await strict.decode([plain]);
    const value: unknown = defaultPayloadConverter.fromPayload(refused as Payload);
    assert.ok(isUnencryptedPayloadStandIn(value), JSON.stringify(value));
    assert.ok(!JSON.stringify(value).includes('Lovelace'));

    const migrating = new AesGcmPayloadCodec(createKeyRing(key()), { acceptUnencrypted: true });
    const [passed] = await migrating.decode([plain]);
    assert.deepEqual(defaultPayloadConverter.fromPayload(passed as Payload), person);
  });
});

describe('encryptionConfigFromEnv', () => {
  const good = key().toString('base64');

  it('needs a 32-byte base64 key, or LIFECYCLE_ENCRYPTION=off said explicitly', () => {
    assert.deepEqual(
      variablesOf(() => encryptionConfigFromEnv({})),
      ['LIFECYCLE_ENCRYPTION_KEY'],
    );
    assert.deepEqual(
      variablesOf(() => encryptionConfigFromEnv({ LIFECYCLE_ENCRYPTION_KEY: 'c2hvcnQ=' })),
      ['LIFECYCLE_ENCRYPTION_KEY'],
    );
    assert.deepEqual(
      variablesOf(() =>
        encryptionConfigFromEnv({ LIFECYCLE_ENCRYPTION_KEY: good, LIFECYCLE_ENCRYPTION_OLD_KEYS: 'x' }),
      ),
      ['LIFECYCLE_ENCRYPTION_OLD_KEYS'],
    );
    assert.deepEqual(
      variablesOf(() => encryptionConfigFromEnv({ LIFECYCLE_ENCRYPTION: 'maybe' })),
      ['LIFECYCLE_ENCRYPTION'],
    );
    assert.deepEqual(encryptionConfigFromEnv({ LIFECYCLE_ENCRYPTION: 'off' }), { mode: 'off' });
  });

  it('is strict by default; LIFECYCLE_ENCRYPTION=migrate encrypts too but reads unencrypted payloads', () => {
    const strict = encryptionConfigFromEnv({ LIFECYCLE_ENCRYPTION_KEY: good });
    assert.equal(strict.mode === 'on' && strict.acceptUnencrypted, false);
    const migrate = encryptionConfigFromEnv({
      LIFECYCLE_ENCRYPTION_KEY: good,
      LIFECYCLE_ENCRYPTION: 'MIGRATE',
    });
    assert.equal(migrate.mode === 'on' && migrate.acceptUnencrypted, true);
    // migrate is not a way around the key.
    assert.deepEqual(
      variablesOf(() => encryptionConfigFromEnv({ LIFECYCLE_ENCRYPTION: 'migrate' })),
      ['LIFECYCLE_ENCRYPTION_KEY'],
    );
    assert.throws(
      () => encryptionConfigFromEnv({ LIFECYCLE_ENCRYPTION_KEY: good, LIFECYCLE_ENCRYPTION: 'lax' }),
      /LIFECYCLE_ENCRYPTION must be on, off or migrate/,
    );
  });

  it('keeps the keys out of logs and error messages', () => {
    const old = key().toString('base64');
    const config = encryptionConfigFromEnv({
      LIFECYCLE_ENCRYPTION_KEY: good,
      LIFECYCLE_ENCRYPTION_OLD_KEYS: `${old}, `,
    });
    assert.equal(config.mode, 'on');
    assert.equal(config.mode === 'on' && config.keys.byId.size, 2);
    const shown = `${inspect(config, { depth: 10 })}${JSON.stringify(config)}`;
    assert.ok(!shown.includes(good) && !shown.includes(old));
    try {
      encryptionConfigFromEnv({ LIFECYCLE_ENCRYPTION_KEY: `${good}x` });
    } catch (error) {
      assert.ok(!String(error).includes(good));
    }
  });
});

describe('safer defaults', () => {
  it('accepts an http Staffbase URL only on loopback', () => {
    const token = { STAFFBASE_API_TOKEN: 'dG9rZW4=' };
    assert.deepEqual(
      variablesOf(() =>
        staffbaseConfigFromEnv({ ...token, STAFFBASE_BASE_URL: 'http://acme.staffbase.com/api' }),
      ),
      ['STAFFBASE_BASE_URL'],
    );
    for (const url of [
      'https://acme.staffbase.com/api',
      'http://127.0.0.1:4010/api',
      'http://localhost/api',
      'http://[::1]:4010/api',
    ]) {
      assert.ok(isHttpsOrLoopback(new URL(url)), url);
      assert.equal(
        staffbaseConfigFromEnv({ ...token, STAFFBASE_BASE_URL: url }).connection?.baseUrl,
        url.replace(/\/$/, ''),
      );
    }
  });
});
