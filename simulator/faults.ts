/**
 * Injectable faults per route key, changeable while the simulator runs. Counters (`dropNext`,
 * `failNext`) make exact tests possible; rates draw from a seedable PRNG so they repeat too.
 */
import { SIMULATOR_CHOICES } from './choices';
import { type FaultSettings, type FaultSpec, type FaultState } from './types';

export type FaultAction =
  | { kind: 'none' }
  | { kind: 'drop' }
  | { kind: 'fail'; status: number }
  /** The route runs (its effect happens), then the answer is replaced by `status` or dropped. */
  | { kind: 'lose-reply'; as: 'error' | 'drop'; status: number };

export interface FaultDecision {
  latencyMs: number;
  action: FaultAction;
}

/**
 * `POST /api/users/:userID` → `POST /users/:id`: method upper-cased, `/api` prefix and trailing slash
 * dropped, every path parameter called `:id`, so tests can write keys either way.
 */
export function normalizeRouteKey(key: string): string {
  const trimmed = key.trim();
  if (trimmed === '*') return '*';
  const [method = '', ...rest] = trimmed.split(/\s+/);
  let path = rest.join('');
  if (path.startsWith('/api/') || path === '/api') path = path.slice('/api'.length);
  path = path.replace(/:[A-Za-z_]\w*/g, ':id').replace(/\/+$/, '');
  return `${method.toUpperCase()} ${path || '/'}`;
}

function routeMatches(faultRoute: string, routeKey: string): boolean {
  if (faultRoute === '*') return true;
  const [faultMethod, faultPath] = faultRoute.split(' ');
  const [method, path] = routeKey.split(' ');
  return (faultMethod === '*' || faultMethod === method) && (faultPath === '*' || faultPath === path);
}

/** mulberry32: tiny, fast and good enough to make fault rates repeatable from a seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  private faults: FaultState[] = [];
  private random: () => number = Math.random;

  /** Replaces every fault; an empty list turns faults off. */
  configure(settings: FaultSettings): void {
    this.faults = settings.faults.map((fault: FaultSpec) => ({
      ...fault,
      route: normalizeRouteKey(fault.route),
      failNext: fault.failNext ?? 0,
      dropNext: fault.dropNext ?? 0,
      lostReplyNext: fault.lostReplyNext ?? 0,
      matched: 0,
    }));
    this.random = settings.seed === undefined ? Math.random : seededRandom(settings.seed);
  }

  current(): FaultState[] {
    return this.faults.map((fault) => ({ ...fault }));
  }

  clear(): void {
    this.configure({ faults: [] });
  }

  /**
   * Every fault matching the route applies: latencies add up; for the outcome the faults are asked
   * in list order (dropNext, failNext, lostReplyNext, dropRate, errorRate, lostReplyRate) and the
   * first that fires wins.
   */
  decide(routeKey: string): FaultDecision {
    let latencyMs = 0;
    let action: FaultAction = { kind: 'none' };
    for (const fault of this.faults) {
      if (!routeMatches(fault.route, routeKey)) continue;
      fault.matched += 1;
      latencyMs += fault.latencyMs ?? 0;
      if (action.kind !== 'none') continue;
      const status = fault.errorStatus ?? SIMULATOR_CHOICES.defaultFaultStatus;
      const loseReply: FaultAction = { kind: 'lose-reply', as: fault.lostReplyAs ?? 'error', status };
      if (fault.dropNext > 0) {
        fault.dropNext -= 1;
        action = { kind: 'drop' };
      } else if (fault.failNext > 0) {
        fault.failNext -= 1;
        action = { kind: 'fail', status };
      } else if (fault.lostReplyNext > 0) {
        fault.lostReplyNext -= 1;
        action = loseReply;
      } else if (this.fires(fault.dropRate)) {
        action = { kind: 'drop' };
      } else if (this.fires(fault.errorRate)) {
        action = { kind: 'fail', status };
      } else if (this.fires(fault.lostReplyRate)) {
        action = loseReply;
      }
    }
    return { latencyMs, action };
  }

  private fires(rate: number | undefined): boolean {
    return rate !== undefined && rate > 0 && this.random() < rate;
  }
}
