/**
 * The API key for this browser tab's session: sessionStorage only (gone when the tab closes, never
 * in localStorage, a cookie or the URL). The role is found out by asking the API, never guessed
 * from the key, and only decides which buttons to show: the API itself refuses what a key may not do.
 */
const KEY_ITEM = 'staffbase-lifecycle.api-key';
const ROLE_ITEM = 'staffbase-lifecycle.role';

/** `admin`: the support key, or dev mode (no key); `lifecycle`: the HR systems' key. */
export type Role = 'admin' | 'lifecycle';

export function apiKey(): string | undefined {
  return sessionStorage.getItem(KEY_ITEM) ?? undefined;
}

export function role(): Role | undefined {
  const value = sessionStorage.getItem(ROLE_ITEM);
  return value === 'admin' || value === 'lifecycle' ? value : undefined;
}

export function signIn(key: string | undefined, found: Role): void {
  if (key) sessionStorage.setItem(KEY_ITEM, key);
  else sessionStorage.removeItem(KEY_ITEM);
  sessionStorage.setItem(ROLE_ITEM, found);
}

export function signOut(): void {
  sessionStorage.removeItem(KEY_ITEM);
  sessionStorage.removeItem(ROLE_ITEM);
}

export const isAdmin = (): boolean => role() === 'admin';
