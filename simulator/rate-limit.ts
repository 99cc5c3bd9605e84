/** Token bucket for `/api`: `burst` tokens, refilled continuously at `requestsPerSecond`. */
import { SIMULATOR_CHOICES } from './choices';
import { type RateLimitSettings, type RetryAfterMode } from './types';

export type RateDecision = { allowed: true } | { allowed: false; retryAfterHeader: string | undefined };

export class RateLimiter {
  private settings: Required<RateLimitSettings> | undefined;
  private tokens = 0;
  private refilledAt = 0;

  constructor(
    settings: RateLimitSettings | null | undefined,
    private readonly clock: () => number = () => Date.now(),
  ) {
    this.configure(settings);
  }

  /** Replaces the settings and starts with a full bucket; null or undefined turns the limit off. */
  configure(settings: RateLimitSettings | null | undefined): void {
    if (!settings) {
      this.settings = undefined;
      return;
    }
    this.settings = {
      requestsPerSecond: settings.requestsPerSecond,
      burst: settings.burst ?? Math.max(1, Math.ceil(settings.requestsPerSecond)),
      retryAfter: settings.retryAfter ?? SIMULATOR_CHOICES.defaultRetryAfter,
    };
    this.tokens = this.settings.burst;
    this.refilledAt = this.clock();
  }

  current(): Required<RateLimitSettings> | null {
    return this.settings ? { ...this.settings } : null;
  }

  /** Takes one token when there is one; otherwise says when the next one will be there. */
  take(): RateDecision {
    const settings = this.settings;
    if (!settings) return { allowed: true };
    const now = this.clock();
    const elapsedSeconds = Math.max(0, now - this.refilledAt) / 1000;
    this.tokens = Math.min(settings.burst, this.tokens + elapsedSeconds * settings.requestsPerSecond);
    this.refilledAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { allowed: true };
    }
    const waitMs = ((1 - this.tokens) / settings.requestsPerSecond) * 1000;
    return { allowed: false, retryAfterHeader: retryAfterHeader(settings.retryAfter, now, waitMs) };
  }
}

function retryAfterHeader(mode: RetryAfterMode, now: number, waitMs: number): string | undefined {
  // Both forms have whole-second resolution: round up so a client that obeys never comes back early.
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  switch (mode) {
    case 'none':
      return undefined;
    case 'seconds':
      return String(seconds);
    case 'http-date':
      return new Date(Math.ceil((now + waitMs) / 1000) * 1000).toUTCString();
  }
}
