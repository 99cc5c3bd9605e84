/**
 * The payload codec that keeps personal data out of Temporal in clear: every payload (workflow
 * inputs, results, signals, queries, updates, activity arguments, memos and — with the failure
 * converter's `encodeCommonAttributes` — failure messages and stack traces) is serialized whole and
 * encrypted with AES-256-GCM from Node's crypto. The metadata left visible says only that it is
 * encrypted and with which key id. Search attributes are not payloads of this codec: they stay clear.
 *
 * Layout of `data`: 12-byte random IV ‖ ciphertext ‖ 16-byte GCM tag. The key id is bound as
 * additional authenticated data, so a payload cannot be relabelled to another key unnoticed.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec, ValueError } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { type EncryptionKey, type KeyRing } from './key-ring';
import { unencryptedPayloadStandIn } from './unencrypted-payload';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const METADATA_KEY_ID = 'encryption-key-id';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const utf8 = (text: string): Uint8Array => Buffer.from(text, 'utf8');
const text = (bytes: Uint8Array | null | undefined): string =>
  bytes ? Buffer.from(bytes).toString('utf8') : '';

/** True for a payload this codec wrote (any key). */
export function isEncryptedPayload(payload: Payload): boolean {
  return text(payload.metadata?.[METADATA_ENCODING_KEY]) === ENCRYPTED_ENCODING;
}

export interface AesGcmCodecOptions {
  /**
   * Pass payloads without this codec's encoding through as they are (LIFECYCLE_ENCRYPTION=migrate, for
   * histories written before encryption). Otherwise each becomes a stand-in that workflow code refuses
   * (unencrypted-payload.ts): whoever can reach Temporal cannot start runs with input of their own.
   */
  acceptUnencrypted?: boolean;
}

/** The stand-in, once: every refused payload decodes to the same JSON value. */
const standInPayload: Payload = {
  metadata: { [METADATA_ENCODING_KEY]: utf8('json/plain') },
  data: utf8(JSON.stringify(unencryptedPayloadStandIn)),
};

export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly acceptUnencrypted: boolean;

  constructor(
    private readonly keys: KeyRing,
    options: AesGcmCodecOptions = {},
  ) {
    this.acceptUnencrypted = options.acceptUnencrypted ?? false;
  }

  // Synchronous work behind a promise: a failure must reach the caller as a rejection, not a throw.
  encode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.resolve().then(() => payloads.map((payload) => this.encrypt(payload, this.keys.current)));
  }

  /** Payloads without this codec's encoding pass through (`acceptUnencrypted`) or become the stand-in. */
  decode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.resolve().then(() =>
      payloads.map((payload) => {
        if (isEncryptedPayload(payload)) return this.decrypt(payload);
        return this.acceptUnencrypted ? payload : { ...standInPayload };
      }),
    );
  }

  private encrypt(payload: Payload, key: EncryptionKey): Payload {
    const plain = temporal.api.common.v1.Payload.encode(payload).finish();
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key.material, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(utf8(key.id));
    const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: { [METADATA_ENCODING_KEY]: utf8(ENCRYPTED_ENCODING), [METADATA_KEY_ID]: utf8(key.id) },
      data,
    };
  }

  private decrypt(payload: Payload): Payload {
    const keyId = text(payload.metadata?.[METADATA_KEY_ID]);
    const key = this.keys.byId.get(keyId);
    if (!key) {
      // Never a retry loop's silent failure: the operator must add the old key (LIFECYCLE_ENCRYPTION_OLD_KEYS).
      throw new ValueError(
        `Cannot decrypt a payload: its key ${keyId || '(no id)'} is neither LIFECYCLE_ENCRYPTION_KEY nor one of LIFECYCLE_ENCRYPTION_OLD_KEYS`,
      );
    }
    const data = Buffer.from(payload.data ?? new Uint8Array());
    if (data.length < IV_BYTES + TAG_BYTES) throw new ValueError('Cannot decrypt a payload: it is truncated');
    const decipher = createDecipheriv('aes-256-gcm', key.material, data.subarray(0, IV_BYTES), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(utf8(key.id));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([
        decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
        decipher.final(),
      ]);
    } catch {
      throw new ValueError(`Cannot decrypt a payload with key ${key.id}: it was altered or the key is wrong`);
    }
    return temporal.api.common.v1.Payload.decode(plain);
  }
}
