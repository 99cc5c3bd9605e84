/**
 * The parked benchmark's parking window (parked.ts): CPU and Staffbase call count at its start, the
 * worker's and the dev server's RSS throughout, and the figures once every leaver is parked.
 */
import { type Client } from '@temporalio/client';
import { cpuSeconds, exitedChildrenCpuSeconds } from './cpu';
import { type ProcessStack } from './process-stack';
import { RssSampler } from './rss';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

/**
 * A visibility count. Retried for up to 30 s: a dev server under load once answered "namespace not
 * found" for its default namespace for a moment (its namespace cache refreshing).
 */
export async function count(client: Client, query: string): Promise<number> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return (await client.workflow.count(query)).count;
    } catch (error) {
      if (attempt >= 30) throw error;
      await sleep(1_000);
    }
  }
}

/** One run's figures, parking window = first start to last parked. */
export interface ParkingFigures {
  label: string;
  n: number;
  parkingSeconds: number;
  requests: number;
  /** Requests per leaver by route and status (e.g. `GET /users 200`), when the call log holds them all. */
  requestsByRoute: Map<string, number> | undefined;
  workerPeakMb: number;
  workerQuietMb: number;
  devServerPeakMb: number;
  workerCpu: number | undefined;
  devServerCpu: number | undefined;
  /** The CLI import's CPU (unpaced); undefined when the benchmark started the runs itself. */
  cliCpu: number | undefined;
  /** The paced mode's deletions, and the worker's RSS peak over the whole run (deletions included). */
  deletions?: {
    deleted: number;
    notCompleted: number;
    maxLateMs: number;
    durationMs: number;
    workerPeakMb: number;
  };
}

/** The run's parking window, watched: CPU and call count at its start, RSS throughout. */
export class ParkingWatch {
  readonly worker: RssSampler;
  readonly devServer: RssSampler;
  readonly t0 = Date.now();
  readonly exitedChildrenCpu0 = exitedChildrenCpuSeconds();
  readonly #cpu0: { worker?: number; devServer?: number };
  #calls0 = 0;

  private constructor(private readonly stack: ProcessStack) {
    this.worker = new RssSampler(stack.worker.pid, 1_000);
    this.devServer = new RssSampler(stack.devServer.pid, 1_000);
    this.#cpu0 = {
      worker: cpuSeconds(stack.worker.pid),
      devServer: cpuSeconds(stack.devServer.pid),
    };
  }

  static async start(stack: ProcessStack): Promise<ParkingWatch> {
    const calls0 = await stack.control.callCount();
    const watch = new ParkingWatch(stack);
    watch.#calls0 = calls0;
    return watch;
  }

  /** Waits until all `n` are parked (polled every second); the window's figures, RSS still sampling. */
  async untilParked(ours: string, n: number): Promise<Omit<ParkingFigures, 'label'>> {
    const { stack } = this;
    let parked = 0;
    let lastProgressMs = Date.now();
    let lastLogMs = 0;
    for (;;) {
      const now = await count(stack.client, `${ours} AND LifecycleStage='retention'`);
      if (now > parked) lastProgressMs = Date.now();
      parked = now;
      if (parked >= n) break;
      if (stack.worker.exitCode !== null) throw new Error(`the worker exited (${stack.worker.exitCode})`);
      if (Date.now() - lastProgressMs > 5 * 60_000)
        throw new Error(`no run parked for 5 min (${parked} of ${n})`);
      if (Date.now() - lastLogMs >= 10_000) {
        lastLogMs = Date.now();
        log(`parked ${parked} of ${n}; worker ${this.worker.samples.at(-1)?.mb.toFixed(0)} MB`);
      }
      await sleep(1_000);
    }
    const parkedAtMs = Date.now();
    const requests = (await stack.control.callCount()) - this.#calls0;
    const requestsByRoute = await this.#requestsByRoute(requests, parkedAtMs);
    const delta = (from: number | undefined, to: number | undefined) =>
      from === undefined || to === undefined ? undefined : to - from;
    const workerCpu = delta(this.#cpu0.worker, cpuSeconds(stack.worker.pid));
    const devServerCpu = delta(this.#cpu0.devServer, cpuSeconds(stack.devServer.pid));
    log(`all ${n} parked after ${((parkedAtMs - this.t0) / 1000).toFixed(1)} s`);
    return {
      n,
      parkingSeconds: (parkedAtMs - this.t0) / 1000,
      requests,
      requestsByRoute,
      workerPeakMb: this.worker.figures(this.t0, parkedAtMs).peak,
      workerQuietMb: NaN,
      devServerPeakMb: this.devServer.figures(this.t0, parkedAtMs).peak,
      workerCpu,
      devServerCpu,
      cliCpu: undefined,
    };
  }

  /** The window's calls by route, from the call log when it still holds every one of them. */
  async #requestsByRoute(requests: number, toMs: number): Promise<Map<string, number> | undefined> {
    const calls = (await this.stack.control.log()).filter((call) => {
      const at = Date.parse(call.time);
      return at >= this.t0 && at <= toMs;
    });
    if (calls.length !== requests) return undefined;
    const byRoute = new Map<string, number>();
    for (const call of calls) {
      const key = `${call.routeKey} ${call.status}`;
      byRoute.set(key, (byRoute.get(key) ?? 0) + 1);
    }
    return byRoute;
  }

  /** The worker's RSS once all are parked: the median of the second half of a quiet window. */
  async quietRss(seconds: number): Promise<number> {
    const from = Date.now() + (seconds * 1000) / 2;
    await sleep(seconds * 1000);
    return this.worker.figures(from).median;
  }

  stop(): void {
    this.worker.stop();
    this.devServer.stop();
  }
}
