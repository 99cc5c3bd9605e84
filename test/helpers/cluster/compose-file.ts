/**
 * docker-compose.yml and deploy/temporal.env as data, for the cluster test (which runs what they
 * describe) and the compose test (which checks them). One reader, so both see the same values.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export const projectRoot = path.resolve(__dirname, '..', '..', '..');

export interface ComposeHealthcheck {
  test: string[] | string;
  interval?: string;
  timeout?: string;
  retries?: number;
  start_period?: string;
}

export interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  entrypoint?: string[] | string;
  environment?: Record<string, string | number | boolean | null>;
  env_file?: string | string[];
  volumes?: string[];
  ports?: string[];
  expose?: string[];
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: ComposeHealthcheck;
  mem_limit?: string;
  stop_grace_period?: string;
  logging?: { driver: string; options?: Record<string, string> };
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
}

export function readComposeText(): string {
  return readFileSync(path.join(projectRoot, 'docker-compose.yml'), 'utf8');
}

/** Parsed with YAML merge keys (`<<: *anchor`), as docker compose reads it. */
export function readComposeFile(): ComposeFile {
  return parse(readComposeText(), { merge: true }) as ComposeFile;
}

export function composeService(compose: ComposeFile, name: string): ComposeService {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

/** KEY=VALUE lines of a compose env_file (comments and blank lines skipped, no quoting rules needed). */
export function readEnvFile(relativePath: string): Record<string, string> {
  const text = readFileSync(path.join(projectRoot, relativePath), 'utf8');
  const values: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match?.[1]) values[match[1]] = match[2] ?? '';
  }
  return values;
}

/** The values of a service's env_file(s), in order (later files win, like compose). */
export function serviceEnvFileValues(service: ComposeService): Record<string, string> {
  const files = service.env_file === undefined ? [] : [service.env_file].flat();
  return Object.assign({}, ...files.map(readEnvFile)) as Record<string, string>;
}

/**
 * Compose's interpolation of `${VAR}`, `${VAR:-default}` and `${VAR:?message}` from `dotEnv` (what
 * compose reads from .env); `$$` stays a literal `$` for the container's shell.
 */
export function interpolate(text: string, dotEnv: Record<string, string>): string {
  return text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:-|:\?)([^}]*))?\}/g,
    (whole, name: string | undefined, operator: string | undefined, argument: string | undefined) => {
      if (whole === '$$') return '$';
      const value = dotEnv[name ?? ''];
      if (value !== undefined && value !== '') return value;
      if (operator === ':?') throw new Error(`compose would refuse to start: ${argument ?? name}`);
      return operator === ':-' ? (argument ?? '') : '';
    },
  );
}

/** The environment compose gives a service: env_file values, then `environment:` (interpolated). */
export function serviceEnvironment(
  service: ComposeService,
  dotEnv: Record<string, string>,
): Record<string, string> {
  const environment: Record<string, string> = { ...serviceEnvFileValues(service) };
  for (const [name, value] of Object.entries(service.environment ?? {})) {
    environment[name] = interpolate(value === null ? '' : String(value), dotEnv);
  }
  return environment;
}

/** A one-shot service's shell script (`entrypoint: [/bin/sh, -c]`, `command: [script]`), `$$` → `$`. */
export function serviceScript(service: ComposeService): string {
  const command = [service.command ?? []].flat();
  if (command.length !== 1 || typeof command[0] !== 'string') {
    throw new Error('expected a service whose command is one shell script');
  }
  return command[0].replaceAll('$$', '$');
}

/** `host:container[:ro]` volume mounts of a service as [host path (absolute), container path]. */
export function bindMounts(service: ComposeService): [string, string][] {
  return (service.volumes ?? [])
    .map((volume) => volume.split(':'))
    .filter(([host]) => host?.startsWith('.') ?? false)
    .map(([host, container]) => [path.resolve(projectRoot, host ?? ''), container ?? '']);
}

/** Rewrites container paths under a bind mount to the host folder mounted there. */
export function hostPath(service: ComposeService, containerPath: string): string {
  for (const [host, container] of bindMounts(service)) {
    if (containerPath === container || containerPath.startsWith(`${container}/`)) {
      return host + containerPath.slice(container.length);
    }
  }
  throw new Error(`${containerPath} is not under a bind mount of the service`);
}

/** The tag of an image reference, e.g. 1.29.1 of temporalio/server:1.29.1. */
export function imageTag(image: string | undefined): string | undefined {
  return image === undefined ? undefined : /:([^/:]+)$/.exec(image)?.[1];
}
