import { hasFileAccess } from '../config/file-access';
import path from 'node:path';

/**
 * The one place that finds the Temporal CLI (dev server) and the time-skipping test server.
 * Order: explicit env var → project-local install (.tools/bin, see install-temporal-binaries.sh) → PATH.
 * The SDK's own download is used only when asked for (TEMPORAL_ALLOW_SDK_DOWNLOAD=1), since these
 * machines have no internet.
 */
export type TemporalBinary = 'cli' | 'test-server';

interface BinarySpec {
  envVar: string;
  fileName: string;
}

const specs: Record<TemporalBinary, BinarySpec> = {
  cli: { envVar: 'TEMPORAL_CLI_PATH', fileName: 'temporal' },
  'test-server': { envVar: 'TEMPORAL_TEST_SERVER_PATH', fileName: 'temporal-test-server' },
};

export const projectRoot = path.resolve(__dirname, '..');
export const projectToolsBin = path.join(projectRoot, '.tools', 'bin');
export const installCommand = 'npm run install:temporal';

export class TemporalBinaryNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemporalBinaryNotFoundError';
  }
}

const isExecutable = (file: string): boolean => hasFileAccess(file, 'execute');

function findOnPath(fileName: string, envPath: string | undefined): string | undefined {
  for (const dir of (envPath ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, fileName);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

export function resolveTemporalBinary(
  which: TemporalBinary,
  env: NodeJS.ProcessEnv = process.env,
  localBin: string = projectToolsBin,
): string {
  const { envVar, fileName } = specs[which];
  const override = env[envVar];
  if (override) {
    if (isExecutable(override)) return override;
    throw new TemporalBinaryNotFoundError(
      `${envVar} points to ${override}, which is not an executable file. Fix the path, or unset ${envVar} and run \`${installCommand}\`.`,
    );
  }
  const local = path.join(localBin, fileName);
  if (isExecutable(local)) return local;
  const onPath = findOnPath(fileName, env.PATH);
  if (onPath) return onPath;
  throw new TemporalBinaryNotFoundError(
    `No ${fileName} binary found (looked at $${envVar}, ${local} and PATH). Run \`${installCommand}\` to install it.`,
  );
}

export type EphemeralExecutable = { type: 'existing-path'; path: string } | { type: 'cached-download' };

/** The `executable` option for @temporalio/testing's ephemeral servers. */
export function temporalExecutable(
  which: TemporalBinary,
  env: NodeJS.ProcessEnv = process.env,
  localBin: string = projectToolsBin,
): EphemeralExecutable {
  try {
    return { type: 'existing-path', path: resolveTemporalBinary(which, env, localBin) };
  } catch (error) {
    // A laptop with internet but no Python registry may let the SDK download its own binaries;
    // an explicit override that points nowhere stays an error.
    const overridden = Boolean(env[specs[which].envVar]);
    if (
      error instanceof TemporalBinaryNotFoundError &&
      !overridden &&
      env.TEMPORAL_ALLOW_SDK_DOWNLOAD === '1'
    ) {
      return { type: 'cached-download' };
    }
    throw error;
  }
}
