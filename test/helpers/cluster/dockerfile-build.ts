/**
 * Builds the image's file system without Docker: every stage of the Dockerfile gets a folder, and
 * its FROM / WORKDIR / ENV / COPY / RUN steps are read from the Dockerfile and carried out there, in
 * order, with the container paths under WORKDIR mapped to that folder. So a step that fails in
 * `docker build` (a tsc error, a file the context lacks) fails here too, and the runtime stage's
 * folder holds exactly the files the image would: production dependencies and dist/.
 * What it cannot reproduce: the base image's Node version (the local `node` runs the steps).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { copyBuildContext } from './dockerignore';

export interface DockerfileStep {
  instruction: string;
  /** The rest of the line, continuation lines joined. */
  argument: string;
}

/** Instructions in order: comments dropped, `\`-continued lines joined. */
export function parseDockerfile(text: string): DockerfileStep[] {
  const logical: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (current === '' && (line.trim() === '' || line.trimStart().startsWith('#'))) continue;
    if (current !== '' && line.trimStart().startsWith('#')) continue;
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    logical.push(current + line);
    current = '';
  }
  return logical.map((line) => {
    const match = /^\s*([A-Za-z]+)\s+([\s\S]*)$/.exec(line);
    if (!match) throw new Error(`Dockerfile: cannot read "${line}"`);
    return { instruction: (match[1] ?? '').toUpperCase(), argument: (match[2] ?? '').trim() };
  });
}

export interface BuiltStage {
  name: string;
  baseImage: string;
  /** The stage's WORKDIR as a host folder. */
  dir: string;
  workdir: string;
  /** ENV of the stage, container paths under WORKDIR mapped to `dir` (see hostEnv). */
  env: Record<string, string>;
  user: string | undefined;
  cmd: string[] | undefined;
}

export interface ImageBuild {
  /** The last stage: what the image holds and runs. */
  runtime: BuiltStage;
  stages: BuiltStage[];
  /** Files in the build context after .dockerignore. */
  contextFiles: number;
  log: string[];
}

/** `KEY=value KEY2="value two"` (the only ENV form the project uses). */
function parseEnvArgument(argument: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const match of argument.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("([^"]*)"|\S*)/g)) {
    values[match[1] ?? ''] = match[3] ?? match[2] ?? '';
  }
  return values;
}

/**
 * An npm cache of its own for the build's `npm ci` steps, seeded from this machine's cache: the
 * Dockerfile ends with `npm cache clean --force`, which must not empty the developer's cache. The
 * content files are immutable (content-addressed), so hard links are safe and cost nothing.
 */
function seededNpmCache(target: string): string {
  const source = path.join(homedir(), '.npm', '_cacache');
  const cache = path.join(target, 'npm-cache');
  mkdirSync(path.join(cache, '_cacache'), { recursive: true });
  if (existsSync(path.join(source, 'index-v5'))) {
    cpSync(path.join(source, 'index-v5'), path.join(cache, '_cacache', 'index-v5'), { recursive: true });
  }
  if (existsSync(path.join(source, 'content-v2'))) {
    try {
      execFileSync('cp', [
        '-al',
        path.join(source, 'content-v2'),
        path.join(cache, '_cacache', 'content-v2'),
      ]);
    } catch {
      cpSync(path.join(source, 'content-v2'), path.join(cache, '_cacache', 'content-v2'), {
        recursive: true,
      });
    }
  }
  return cache;
}

export function buildImage(contextDir: string, workDir: string): ImageBuild {
  const steps = parseDockerfile(readFileSync(path.join(contextDir, 'Dockerfile'), 'utf8'));
  const context = path.join(workDir, 'context');
  const contextFiles = copyBuildContext(contextDir, context);
  const npmCache = seededNpmCache(workDir);
  const stages: BuiltStage[] = [];
  const log: string[] = [`context: ${contextFiles} files after .dockerignore`];
  let stage: BuiltStage | undefined;

  const containerToHost = (built: BuiltStage, containerPath: string): string => {
    const absolute = path.posix.resolve(built.workdir, containerPath);
    if (absolute !== built.workdir && !absolute.startsWith(`${built.workdir}/`)) {
      throw new Error(`Dockerfile: ${containerPath} is outside WORKDIR ${built.workdir}; not supported here`);
    }
    return path.join(built.dir, path.posix.relative(built.workdir, absolute));
  };
  // ENV may come before WORKDIR: container paths are mapped when a step or the caller uses them.
  const hostEnv = (built: BuiltStage): Record<string, string> =>
    Object.fromEntries(
      Object.entries(built.env).map(([name, value]) => [
        name,
        value.startsWith(`${built.workdir}/`) ? containerToHost(built, value) : value,
      ]),
    );

  for (const { instruction, argument } of steps) {
    if (instruction === 'FROM') {
      const [image = '', as, name] = argument.split(/\s+/);
      const stageName = as?.toUpperCase() === 'AS' && name ? name : `stage${stages.length}`;
      stage = {
        name: stageName,
        baseImage: image,
        dir: path.join(workDir, 'stages', stageName),
        workdir: '/',
        env: {},
        user: undefined,
        cmd: undefined,
      };
      stages.push(stage);
      log.push(`FROM ${image} AS ${stageName}`);
      continue;
    }
    if (!stage) throw new Error(`Dockerfile: ${instruction} before FROM`);
    const current: BuiltStage = stage;
    switch (instruction) {
      case 'WORKDIR':
        current.workdir = argument;
        mkdirSync(current.dir, { recursive: true });
        break;
      case 'ENV':
        for (const [name, value] of Object.entries(parseEnvArgument(argument))) {
          current.env[name] = value;
        }
        break;
      case 'COPY': {
        const parts = argument.split(/\s+/);
        const from = parts[0]?.startsWith('--from=') ? parts.shift()?.slice('--from='.length) : undefined;
        const destination = containerToHost(current, parts.pop() ?? '.');
        const origin = from === undefined ? undefined : stages.find((built) => built.name === from);
        if (from !== undefined && !origin) throw new Error(`Dockerfile: COPY --from=${from}: no such stage`);
        for (const source of parts) {
          const sourcePath = origin ? containerToHost(origin, source) : path.join(context, source);
          if (!existsSync(sourcePath)) {
            throw new Error(
              `Dockerfile: COPY ${source}: not in the ${origin ? `${from} stage` : 'build context'}`,
            );
          }
          const target =
            source === '.' || destination.endsWith('/') || parts.length > 1
              ? path.join(destination, source === '.' ? '' : path.basename(source))
              : destination;
          cpSync(sourcePath, target, { recursive: true });
        }
        log.push(`COPY ${argument}`);
        break;
      }
      case 'RUN': {
        const started = Date.now();
        const result = spawnSync('/bin/sh', ['-c', argument], {
          cwd: containerToHost(current, current.workdir),
          env: {
            PATH: process.env.PATH,
            HOME: path.join(workDir, 'home'),
            npm_config_cache: npmCache,
            npm_config_prefer_offline: 'true',
            npm_config_update_notifier: 'false',
            ...hostEnv(current),
          },
          encoding: 'utf8',
          maxBuffer: 64 * 1024 * 1024,
        });
        if (result.status !== 0) {
          throw new Error(
            `Dockerfile: RUN ${argument} failed (exit ${result.status}) in stage ${current.name}:\n` +
              `${(result.stdout + result.stderr).slice(-6000)}`,
          );
        }
        log.push(`RUN ${argument} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
        break;
      }
      case 'USER':
        current.user = argument;
        break;
      case 'CMD':
        current.cmd = JSON.parse(argument) as string[];
        break;
      case 'EXPOSE':
      case 'LABEL':
      case 'ARG':
        break;
      default:
        throw new Error(`Dockerfile: ${instruction} is not supported by this build (add it here)`);
    }
  }
  const last = stages.at(-1);
  if (!last) throw new Error('Dockerfile has no FROM');
  const runtime = { ...last, env: hostEnv(last) };
  return { runtime, stages, contextFiles, log };
}
