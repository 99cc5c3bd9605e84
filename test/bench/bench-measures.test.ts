/**
 * The benchmarks' own measuring tools (bench/): option parsing, /proc CPU readings and the CPU
 * profile's summary. No timing is asserted, only that the readings follow the work done.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { codeOrigin, selfTimeByOrigin } from '../../bench/cpu-profile';
import { childPid, cpuSeconds, exitedChildrenCpuSeconds } from '../../bench/cpu';
import { parkedOptionsFromEnv } from '../../bench/parked';

describe('parked bench options', () => {
  it('defaults to both modes, three unpaced runs, 200 requests/s', () => {
    const options = parkedOptionsFromEnv({ PARKED: '200' });
    assert.equal(options.mode, 'both');
    assert.equal(options.runs, 3);
    assert.equal(options.requestsPerSecond, 200);
    assert.equal(options.count, 200);
    assert.equal(options.cpuProfile, false);
  });

  it('reads the mode, one run, the rate (and the rate’s earlier name)', () => {
    const options = parkedOptionsFromEnv({ PARKED_MODE: 'unpaced', PARKED_RUNS: '1', PARKED_RATE: '20' });
    assert.deepEqual([options.mode, options.runs, options.requestsPerSecond], ['unpaced', 1, 20]);
    assert.equal(parkedOptionsFromEnv({ PARKED_REQUESTS_PER_SECOND: '50' }).requestsPerSecond, 50);
    assert.equal(
      parkedOptionsFromEnv({ PARKED_RATE: '30', PARKED_REQUESTS_PER_SECOND: '50' }).requestsPerSecond,
      30,
    );
  });

  it('names a bad mode or number', () => {
    assert.throws(() => parkedOptionsFromEnv({ PARKED_MODE: 'fast' }), /PARKED_MODE/);
    assert.throws(() => parkedOptionsFromEnv({ PARKED_RUNS: '0' }), /PARKED_RUNS/);
    assert.throws(() => parkedOptionsFromEnv({ PARKED_RATE: 'lots' }), /PARKED_RATE/);
  });
});

describe('CPU readings from /proc', () => {
  it('follow this process’s own CPU time', () => {
    const before = cpuSeconds(process.pid);
    assert.ok(before !== undefined && before > 0);
    // Spin until Node itself says 100 ms more CPU were used: /proc must see them too (10 ms ticks).
    const start = process.cpuUsage();
    while ((process.cpuUsage(start).user + process.cpuUsage(start).system) / 1e6 < 0.1)
      Math.sqrt(Math.random());
    const after = cpuSeconds(process.pid) as number;
    assert.ok(after - before >= 0.07, `${after - before} s`);
  });

  it('is undefined for a process that is gone', () => {
    assert.equal(cpuSeconds(2 ** 22 + 1), undefined);
  });

  it('finds a child by its command, and counts its CPU once it has exited', async () => {
    const childrenBefore = exitedChildrenCpuSeconds();
    const child = spawn(process.execPath, [
      '-e',
      'const t = process.cpuUsage(); while (process.cpuUsage(t).user < 200000); setTimeout(() => {}, 60000)',
    ]);
    try {
      // The child spins 200 ms of CPU, then waits: found by command name (node) while it runs.
      let found: number | undefined;
      while (found === undefined) {
        found = childPid('node');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.equal(found, child.pid);
      while ((cpuSeconds(found) ?? 0) < 0.2 && child.exitCode === null)
        await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      child.kill('SIGKILL');
    }
    await once(child, 'exit');
    assert.ok(exitedChildrenCpuSeconds() - childrenBefore >= 0.15);
  });
});

describe('CPU profile summary', () => {
  it('names packages, built-ins, project folders and the workflow bundle', () => {
    assert.equal(
      codeOrigin('file:///app/node_modules/@temporalio/worker/lib/worker.js', 'f'),
      '@temporalio/worker',
    );
    assert.equal(codeOrigin('/app/node_modules/protobufjs/src/reader.js', 'f'), 'protobufjs');
    assert.equal(codeOrigin('node:internal/worker/io', 'f'), 'node:internal/worker');
    assert.equal(codeOrigin('node:events', 'f'), 'node:events');
    assert.equal(
      codeOrigin('/app/dist/bench/lifecycle/payload-codec/codec.js', 'f'),
      'lifecycle/payload-codec',
    );
    assert.equal(
      codeOrigin('/tmp/x/workflow-bundle.js', 'f'),
      'workflow bundle (workflows + SDK workflow runtime)',
    );
    assert.equal(codeOrigin('', '(garbage collector)'), '(garbage collector)');
  });

  it('sums self time per origin, idle left out', () => {
    const totals = selfTimeByOrigin({
      nodes: [
        { id: 1, callFrame: { functionName: '(idle)', url: '' } },
        { id: 2, callFrame: { functionName: 'decode', url: '/app/node_modules/protobufjs/a.js' } },
        { id: 3, callFrame: { functionName: 'encode', url: '/app/node_modules/protobufjs/b.js' } },
        { id: 4, callFrame: { functionName: 'log', url: '/app/dist/bench/worker/logger.js' } },
      ],
      samples: [1, 2, 3, 4, 1],
      timeDeltas: [5000, 1000, 2000, 3000, 9000],
    });
    assert.deepEqual(Object.fromEntries(totals), { protobufjs: 3, worker: 3 });
  });
});
