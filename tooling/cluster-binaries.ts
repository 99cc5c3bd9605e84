/**
 * Finds the parts of a real Temporal cluster that `npm run install:cluster` puts in .tools
 * (tooling/install-temporal-server.sh): the server, its SQL schema tool, the module's PostgreSQL
 * schemas and the server image's config template; and PostgreSQL's own programs (Debian package).
 * Each lookup fails naming the install command, so a missing part never looks like a test failure.
 */
import { accessSync, constants, existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot, projectToolsBin } from './temporal-binaries';

export const clusterInstallCommand = 'npm run install:cluster';
const shareDir = path.join(projectRoot, '.tools', 'temporal-server');

export class ClusterPartMissingError extends Error {
  constructor(what: string) {
    super(`${what} is missing. Run \`${clusterInstallCommand}\` (needs Go; installs PostgreSQL if absent).`);
    this.name = 'ClusterPartMissingError';
  }
}

/** The Temporal server version pinned in package.json ("temporalServer"). */
export function pinnedTemporalServerVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as {
    temporalServer: { version: string };
  };
  return pkg.temporalServer.version;
}

function executable(file: string): string {
  try {
    accessSync(file, constants.X_OK);
    return file;
  } catch {
    throw new ClusterPartMissingError(file);
  }
}

export interface TemporalServerParts {
  server: string;
  sqlTool: string;
  /** The module's `schema/` folder (postgresql/v12/{temporal,visibility}/versioned). */
  schemaDir: string;
  /** The config template the temporalio/server image renders from its environment. */
  configTemplate: string;
}

/** The installed server parts; throws when they are missing or built for another version. */
export function temporalServerParts(): TemporalServerParts {
  const stamp = path.join(shareDir, '.version');
  const pinned = pinnedTemporalServerVersion();
  const built = existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : undefined;
  if (built !== pinned) {
    throw new ClusterPartMissingError(`The Temporal server ${pinned} (found: ${built ?? 'none'})`);
  }
  const configTemplate = path.join(shareDir, 'docker', 'config_template.yaml');
  if (!existsSync(configTemplate)) throw new ClusterPartMissingError(configTemplate);
  return {
    server: executable(path.join(projectToolsBin, 'temporal-server')),
    sqlTool: executable(path.join(projectToolsBin, 'temporal-sql-tool')),
    schemaDir: path.join(shareDir, 'schema'),
    configTemplate,
  };
}

/** The folder holding initdb, pg_ctl and postgres: Debian keeps them out of PATH, per major version. */
export function postgresBinDir(): string {
  const debianRoot = '/usr/lib/postgresql';
  const majors = existsSync(debianRoot)
    ? readdirSync(debianRoot)
        .filter((name) => /^\d+$/.test(name))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  for (const major of majors) {
    const dir = path.join(debianRoot, major, 'bin');
    if (existsSync(path.join(dir, 'initdb'))) return dir;
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'pg_ctl'))) return dir;
  }
  throw new ClusterPartMissingError('PostgreSQL (initdb, pg_ctl)');
}
