import { SIMULATOR_CHOICES } from './choices';
import { type CallRecord } from './types';

/** Calls the `/api` part received, oldest first; bounded so a long-running simulator stays small. */
export class CallLog {
  private calls: CallRecord[] = [];

  record(call: CallRecord): void {
    this.calls.push(call);
    if (this.calls.length > SIMULATOR_CHOICES.maxCallLogEntries) this.calls.shift();
  }

  list(): CallRecord[] {
    return this.calls.map((call) => ({ ...call }));
  }

  clear(): void {
    this.calls = [];
  }
}
