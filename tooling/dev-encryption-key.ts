/**
 * `npm start` on a laptop needs no key set up by hand: when LIFECYCLE_ENCRYPTION_KEY is not set (and
 * encryption is not explicitly off) it uses the key in `<DATA_DIR>/encryption-key`, generating one on
 * the first start. The file sits next to the dev server's database it protects, readable by its owner
 * only; losing it makes the encrypted histories in that database unreadable, like losing a real key.
 * The worker and the HR API started on their own never do this: there a missing key stops them.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { KEY_BYTES } from '../lifecycle/payload-codec/key-ring';

export const DEV_KEY_FILE_NAME = 'encryption-key';

export type DevKeyUse =
  { source: 'environment' } | { source: 'off' } | { source: 'file'; file: string; generated: boolean };

/**
 * Fills in `env.LIFECYCLE_ENCRYPTION_KEY` from the dev key file (creating it when missing) unless a
 * key is set or encryption is off. Says which it did, so `npm start` can tell the person.
 */
export function useDevEncryptionKey(env: NodeJS.ProcessEnv, dataDir: string): DevKeyUse {
  if (env.LIFECYCLE_ENCRYPTION_KEY?.trim()) return { source: 'environment' };
  if (env.LIFECYCLE_ENCRYPTION?.trim().toLowerCase() === 'off') return { source: 'off' };
  const file = path.join(dataDir, DEV_KEY_FILE_NAME);
  let generated = false;
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    // `wx`: two starts at once must not overwrite each other's key.
    writeFileSync(file, `${randomBytes(KEY_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    generated = true;
  }
  env.LIFECYCLE_ENCRYPTION_KEY = readFileSync(file, 'utf8').trim();
  return { source: 'file', file, generated };
}
