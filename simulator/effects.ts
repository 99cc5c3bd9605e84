import { type EffectActor, type EffectKind, type EffectRecord, type SimulatedUserRecord } from './types';

/**
 * Every change the simulated tenant made to an account (create, status change, delete, logout), in
 * order. Unlike the call log it is not bounded by a count of calls and ignores the answers: it is
 * what a test counts to prove "exactly once" and "never deleted while activated".
 */
export class EffectLog {
  private effects: EffectRecord[] = [];
  private readonly listeners: ((effect: EffectRecord) => void)[] = [];

  /** Calls `listener` with every effect recorded from now on (the simulator's webhooks). */
  onRecord(listener: (effect: EffectRecord) => void): void {
    this.listeners.push(listener);
  }

  record(
    kind: EffectKind,
    user: SimulatedUserRecord,
    statusBefore: EffectRecord['statusBefore'],
    via: EffectActor,
    time: string,
  ): void {
    const effect: EffectRecord = {
      kind,
      userId: user.id,
      externalID: user.externalID,
      statusBefore,
      via,
      time,
    };
    this.effects.push(effect);
    for (const listener of this.listeners) listener({ ...effect });
  }

  list(): EffectRecord[] {
    return this.effects.map((effect) => ({ ...effect }));
  }

  clear(): void {
    this.effects = [];
  }
}
