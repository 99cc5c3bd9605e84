import { SIMULATOR_CHOICES } from './choices';
import { type CallRecord } from './types';

/** Calls the `/api` part received, oldest first; bounded so a long-running simulator stays small. */
export class CallLog {
  private calls: CallRecord[] = [];
  /** Every call since the start or the last clear, the ones the bound dropped included (benchmarks). */
  private received = 0;

  record(call: CallRecord): void {
    this.received += 1;
    this.calls.push(call);
    if (this.calls.length > SIMULATOR_CHOICES.maxCallLogEntries) this.calls.shift();
  }

  list(): CallRecord[] {
    return this.calls.map((call) => ({ ...call }));
  }

  count(): number {
    return this.received;
  }

  clear(): void {
    this.calls = [];
    this.received = 0;
  }
}
