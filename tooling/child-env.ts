/**
 * The environment a process `npm start` spawns (the Temporal dev server and its watchdog) gets: an
 * allow-list of what any program needs to run on this machine, never the service's own settings.
 * npm start's environment holds the Staffbase token, the encryption key and the API keys (from `.env`
 * or the shell); a helper process has no use for them, and whatever it inherits could end up in its
 * crash dumps, its child processes or /proc/<pid>/environ.
 */

/** Passed on by name when set. */
export const CHILD_PROCESS_ENV_NAMES = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LANGUAGE',
  'TZ',
  'TMPDIR',
  'TMP',
  'TEMP',
] as const;

/** Passed on by prefix: the locale categories (LC_ALL, LC_CTYPE, …). */
const CHILD_PROCESS_ENV_PREFIXES = ['LC_'] as const;

export function isChildProcessEnvName(name: string): boolean {
  return (
    (CHILD_PROCESS_ENV_NAMES as readonly string[]).includes(name) ||
    CHILD_PROCESS_ENV_PREFIXES.some((prefix) => name.startsWith(prefix))
  );
}

/** The allowed variables of `parent` that are set, plus `extra` (set by the caller on purpose). */
export function childProcessEnv(
  parent: NodeJS.ProcessEnv,
  extra: Record<string, string> = {},
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(parent)) {
    if (value !== undefined && isChildProcessEnvName(name)) env[name] = value;
  }
  return { ...env, ...extra };
}
