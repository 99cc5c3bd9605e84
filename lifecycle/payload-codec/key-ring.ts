/**
 * The encryption keys of the payload codec: one current key that encrypts, and older keys that only
 * decrypt (during a key rotation, histories still hold payloads encrypted with them). A key is 32
 * random bytes (AES-256), given in base64. Its id is derived from the key itself (a truncated
 * SHA-256), so the id written into each payload's metadata names the key without a separate
 * registry and without revealing anything usable about it.
 */
import { createHash } from 'node:crypto';

export const KEY_BYTES = 32;

export interface EncryptionKey {
  /** e.g. `k1-3f9a…`: goes into every payload's metadata, never the key. */
  readonly id: string;
  /** Non-enumerable: invisible to console.log / JSON.stringify / spreading. */
  readonly material: Buffer;
}

export interface KeyRing {
  readonly current: EncryptionKey;
  /** Current and older keys by id: what `decode` may use. */
  readonly byId: ReadonlyMap<string, EncryptionKey>;
}

/** What the data converter is built with (config/encryption.ts reads it from the environment). */
export type EncryptionConfig =
  | {
      mode: 'on';
      /** Non-enumerable: never logged. */
      readonly keys: KeyRing;
      /** LIFECYCLE_ENCRYPTION=migrate: unencrypted payloads (older histories) are still read. */
      readonly acceptUnencrypted: boolean;
    }
  /** Explicitly off (LIFECYCLE_ENCRYPTION=off): payloads are stored in clear. */
  | { mode: 'off' };

/** The id of a key: 12 hex digits of its SHA-256 (48 bits: enough to tell a handful of keys apart). */
export function keyIdOf(material: Buffer): string {
  return `k1-${createHash('sha256').update(material).digest('hex').slice(0, 12)}`;
}

/** Decodes one base64 key; undefined when it is not exactly 32 bytes of strict base64. */
export function decodeKey(base64: string): Buffer | undefined {
  const trimmed = base64.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) && !/^[A-Za-z0-9_-]+={0,2}$/.test(trimmed)) return undefined;
  const material = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return material.length === KEY_BYTES ? material : undefined;
}

function encryptionKey(material: Buffer): EncryptionKey {
  const key = { id: keyIdOf(material) } as EncryptionKey;
  Object.defineProperty(key, 'material', { value: material, enumerable: false });
  return key;
}

/** A key ring from already validated key material: the first encrypts, all decrypt. */
export function createKeyRing(current: Buffer, older: readonly Buffer[] = []): KeyRing {
  const currentKey = encryptionKey(current);
  const byId = new Map<string, EncryptionKey>([[currentKey.id, currentKey]]);
  for (const material of older) {
    const key = encryptionKey(material);
    if (!byId.has(key.id)) byId.set(key.id, key);
  }
  return { current: currentKey, byId };
}
