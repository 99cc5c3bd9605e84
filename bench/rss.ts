/** Resident memory of other processes, read from /proc (Linux), sampled at a fixed interval. */
import { readFileSync } from 'node:fs';

/** VmRSS of `pid` in MB; undefined once the process is gone. */
export function rssMb(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

export interface RssSample {
  atMs: number;
  mb: number;
}

export class RssSampler {
  readonly samples: RssSample[] = [];
  readonly #timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    intervalMs: number,
  ) {
    this.#timer = setInterval(() => this.sample(), intervalMs);
    this.#timer.unref();
    this.sample();
  }

  sample(): void {
    const mb = rssMb(this.pid);
    if (mb !== undefined) this.samples.push({ atMs: Date.now(), mb });
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  /** Peak and median over the samples taken in [fromMs, toMs]. */
  figures(fromMs = 0, toMs = Infinity): { peak: number; median: number; count: number } {
    const values = this.samples
      .filter((s) => s.atMs >= fromMs && s.atMs <= toMs)
      .map((s) => s.mb)
      .sort((a, b) => a - b);
    if (values.length === 0) return { peak: NaN, median: NaN, count: 0 };
    return {
      peak: values[values.length - 1] as number,
      median: values[Math.floor(values.length / 2)] as number,
      count: values.length,
    };
  }
}
