/**
 * A throwaway PostgreSQL cluster for the cluster test and the store's tests (test/helpers/store-databases.ts): initdb in a temp folder, a random port on
 * 127.0.0.1, password authentication over TCP (as compose's server has). PostgreSQL refuses to run as
 * root, and CI runs as root: then the Debian package's `postgres` account runs it (setpriv execs in
 * place, so signals reach the server itself).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { postgresBinDir } from '../../../tooling/cluster-binaries';
import { type ManagedProcess, freePort, startProcess } from './processes';

export interface RunningPostgres {
  host: string;
  port: number;
  user: string;
  /** Random per run; handed to the schema tool and the server through their environment only. */
  password: string;
  /** e.g. 15: compared with the major version of compose's postgres image. */
  majorVersion: number;
  stop(): Promise<void>;
}

const DEFAULT_USER = 'temporal';

/** [command, args] that run `program` as the unprivileged account when this process is root. */
function asDatabaseOwner(program: string, args: string[]): [string, string[]] {
  if (userInfo().uid !== 0) return [program, args];
  return ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', program, ...args]];
}

function postgresAccountIds(): { uid: number; gid: number } {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8', stdio: 'pipe' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8', stdio: 'pipe' }).trim());
    return { uid, gid };
  } catch {
    throw new Error(
      "Running as root, PostgreSQL needs the unprivileged `postgres` account (Debian's postgresql package " +
        'creates it): run `npm run install:cluster`, or run the test as another user.',
    );
  }
}

export interface StartPostgresOptions {
  /** The superuser initdb creates (default `temporal`, as the cluster test's server connects). */
  user?: string;
}

export async function startPostgres(
  baseDir: string,
  options: StartPostgresOptions = {},
): Promise<RunningPostgres> {
  const user = options.user ?? DEFAULT_USER;
  const bin = postgresBinDir();
  const versionLine = execFileSync(path.join(bin, 'initdb'), ['--version'], { encoding: 'utf8' });
  const majorVersion = Number(/\(PostgreSQL\)\s+(\d+)/.exec(versionLine)?.[1] ?? NaN);
  const root = path.join(baseDir, 'postgresql');
  const dataDir = path.join(root, 'data');
  const passwordFile = path.join(root, 'password');
  const password = `pw-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  mkdirSync(root, { recursive: true });
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  if (userInfo().uid === 0) {
    // The account must reach its folder: the temp folder above it is root's and 0700 by default.
    chmodSync(baseDir, 0o711);
    const { uid, gid } = postgresAccountIds();
    chownSync(root, uid, gid);
    chownSync(passwordFile, uid, gid);
  }

  const [initCommand, initArgs] = asDatabaseOwner(path.join(bin, 'initdb'), [
    `--pgdata=${dataDir}`,
    `--username=${user}`,
    `--pwfile=${passwordFile}`,
    '--auth-local=trust',
    '--auth-host=scram-sha-256',
    '--encoding=UTF8',
    '--no-sync',
  ]);
  execFileSync(initCommand, initArgs, { stdio: 'pipe' });

  const port = await freePort();
  const [command, args] = asDatabaseOwner(path.join(bin, 'postgres'), [
    '-D',
    dataDir,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    `unix_socket_directories=${root}`,
    // A test database: durability on crash is not what this test is about, speed on 2 cores is.
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'max_connections=200',
  ]);
  const server: ManagedProcess = startProcess('postgresql', command, args, {
    env: { PATH: process.env.PATH, LANG: 'C.UTF-8' },
  });
  await server.waitForOutput(/database system is ready to accept connections/, 60_000);
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    majorVersion,
    // SIGINT is PostgreSQL's "fast" shutdown: sessions end, data is written.
    stop: () => server.stop('SIGINT', 20_000),
  };
}
