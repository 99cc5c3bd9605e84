/**
 * The whole test suite runs with payload encryption on, as production does: one fixed test key
 * (never a real one), the project's data converter for every test client and worker, and the
 * environment variables for tests that start the worker, the HR API or the CLI as processes.
 */
import { AesGcmPayloadCodec } from '../../lifecycle/payload-codec/aes-gcm-codec';
import { lifecycleDataConverter } from '../../lifecycle/payload-codec/data-converter';
import { createKeyRing, decodeKey } from '../../lifecycle/payload-codec/key-ring';
import { encryptionConfigFromEnv } from '../../config/encryption';

/** 32 bytes, base64: a test key only. */
export const testEncryptionKey = Buffer.alloc(32, 'staffbase-lifecycle-test-key-01!').toString('base64');

/** What a worker, HR API or CLI process of a test needs in its environment. */
export const testEncryptionEnv: Readonly<Record<string, string>> = {
  LIFECYCLE_ENCRYPTION_KEY: testEncryptionKey,
};

export const testEncryption = encryptionConfigFromEnv(testEncryptionEnv);

export const testDataConverter = lifecycleDataConverter(testEncryption);

/**
 * LIFECYCLE_ENCRYPTION=migrate with the test key: encrypts, and still reads payloads written before
 * encryption (the replay fixtures recorded before #15 hold plain payloads).
 */
export const testMigrateDataConverter = lifecycleDataConverter(
  encryptionConfigFromEnv({ ...testEncryptionEnv, LIFECYCLE_ENCRYPTION: 'migrate' }),
);

/** The codec alone, to read a raw history in a test the way the workers do. */
export const testPayloadCodec = new AesGcmPayloadCodec(
  createKeyRing(decodeKey(testEncryptionKey) ?? Buffer.alloc(0)),
);
