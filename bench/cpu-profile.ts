/**
 * BENCH_CPU_PROFILE=1: where the worker's CPU goes. The worker runs with `node --cpu-prof`, which writes
 * one .cpuprofile per JavaScript thread when it exits (the main thread: activities, payload codec,
 * interceptors, logging, the SDK's bridge; the workflow thread: the workflow bundle). Each profile is
 * summarised by self time per package (node_modules), project folder (the compiled worker under
 * dist/bench/) or the workflow bundle. Native threads (the SDK core, gRPC) are not profiled: the
 * difference between a profile's total and the CPU seconds the benchmark prints is theirs (and GC's on
 * other threads).
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a function's code comes from, coarsely enough to say which part of the worker costs. */
export function codeOrigin(url: string, functionName: string): string {
  if (url === '') return (functionName || '(native)').slice(0, 60);
  // node:internal/worker/io → node:internal/worker: which part of Node (thread messages, streams, …).
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const [scope, name] = url.slice(modules + '/node_modules/'.length).split('/');
    return scope?.startsWith('@') ? `${scope}/${name}` : (scope ?? url);
  }
  if (url.endsWith('workflow-bundle.js')) return 'workflow bundle (workflows + SDK workflow runtime)';
  const project = url.indexOf('/dist/bench/');
  if (project >= 0) return path.dirname(url.slice(project + '/dist/bench/'.length));
  return path.basename(url);
}

/** Self time (ms) per code origin, idle excluded. */
export function selfTimeByOrigin(profile: CpuProfile): Map<string, number> {
  const origins = new Map(
    profile.nodes.map((node) => [node.id, codeOrigin(node.callFrame.url, node.callFrame.functionName)]),
  );
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const origin = origins.get(id) ?? '(unknown)';
    if (origin === '(idle)') return;
    totals.set(origin, (totals.get(origin) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return totals;
}

const projectFolder = /^(worker|workflows|activities|staffbase|lifecycle|config)(\/|$)/;

export function summariseCpuProfiles(dir: string, top = 12): void {
  const files = readdirSync(dir).filter((file) => file.endsWith('.cpuprofile'));
  if (files.length === 0) {
    console.log(`\nCPU profile: none written in ${dir} (the worker did not exit normally)`);
    return;
  }
  // Several stacks write into one directory: one worker process per run, one profile per thread.
  const byThread = new Map<string, Map<string, number>>();
  for (const file of files) {
    // CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile; thread 0 is the main thread.
    const thread = file.split('.')[4] === '0' ? 'main thread' : 'other threads (workflow thread)';
    const totals = byThread.get(thread) ?? new Map<string, number>();
    const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as CpuProfile;
    for (const [origin, ms] of selfTimeByOrigin(profile)) totals.set(origin, (totals.get(origin) ?? 0) + ms);
    byThread.set(thread, totals);
  }
  for (const [thread, totals] of byThread) {
    const all = [...totals.values()].reduce((sum, ms) => sum + ms, 0);
    console.log(
      `\nworker CPU profile, ${thread}: ${(all / 1000).toFixed(1)} s busy (self time, top ${top} and the project's own folders)`,
    );
    const sorted = [...totals].sort((a, b) => b[1] - a[1]);
    // The project's own code (payload codec, interceptors, logger, activities) even below the top.
    const shown = sorted.filter(([origin], i) => i < top || projectFolder.test(origin));
    for (const [origin, ms] of shown) {
      console.log(
        `  ${((100 * ms) / all).toFixed(1).padStart(5)} %  ${(ms / 1000).toFixed(1).padStart(6)} s  ${origin}`,
      );
    }
  }
}
