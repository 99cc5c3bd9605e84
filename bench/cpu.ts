/**
 * CPU time of the benchmark's processes, read from /proc (Linux): user + system seconds of one process
 * (all its threads: the worker's workflow thread and the SDK's native threads included), and of this
 * process's children that have exited (the CLI import, once it is done).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

let ticksPerSecond: number | undefined;

/** The kernel's clock ticks per second (`getconf CLK_TCK`, 100 on every Linux we run on). */
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces): index 0 = state. */
function statFields(pid: number | 'self'): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

// proc(5) numbers the fields from 1 with the state as field 3: utime is 14, stime 15, cutime 16, cstime 17.
const field = (fields: string[], number: number): number => Number(fields[number - 3]);

/** User + system CPU seconds `pid` has used so far; undefined once it is gone. */
export function cpuSeconds(pid: number): number | undefined {
  const fields = statFields(pid);
  return fields && (field(fields, 14) + field(fields, 15)) / clockTicks();
}

/** CPU seconds of this process's children that have exited and been waited for (the CLI import). */
export function exitedChildrenCpuSeconds(): number {
  const fields = statFields('self');
  return fields ? (field(fields, 16) + field(fields, 17)) / clockTicks() : 0;
}

/**
 * A child of this process running `command` (the dev server the SDK's test environment spawns, whose
 * pid it does not tell); undefined when there is none.
 */
export function childPid(command: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const fields = statFields(pid);
    if (!fields || field(fields, 4) !== process.pid) continue;
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === command) return pid;
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

/** "12.3 s" per 1,000 runs, or "n/a" when the process could not be read. */
export function perThousand(seconds: number | undefined, runs: number): string {
  return seconds === undefined ? 'n/a' : `${((seconds * 1000) / runs).toFixed(1)} s`;
}
