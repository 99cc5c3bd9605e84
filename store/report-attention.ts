/** The needs-attention report (issue 32): waits in needs-attention, their codes, reminders per activation. */
import { type StoreDb } from './connection';
import { activations } from './report-onboarding';
import { type ReportPeriod, percentile, rounded } from './report-periods';
import {
  type BucketOf,
  type BucketedEvent,
  type MilestoneReads,
  type MilestoneRow,
  count,
  hourMs,
  inPeriod,
  sortedNumbers,
  tabulate,
} from './report-reads';

export async function needsAttention(
  db: StoreDb,
  reads: MilestoneReads,
  period: ReportPeriod,
  bucketOf: BucketOf,
) {
  const [rows, parked, activated] = await Promise.all([
    reads.ofRunsWith('needs-attention', ['resolved'], period),
    db
      .selectFrom('person')
      .select(['open_run_id', 'attention_code'])
      .where('stage', '=', 'needs-attention')
      .where('attention_code', 'is not', null)
      .execute(),
    activations(reads, period, bucketOf, true),
  ]);
  const codeOfOpenRun = new Map(parked.map((p) => [p.open_run_id, p.attention_code ?? 'not-recorded']));
  type Entry = BucketedEvent & { kind: 'entry'; waitHours?: number; code: string };
  type Activation = BucketedEvent & { kind: 'activation'; reminders: number };
  const events: (Entry | Activation)[] = activated.map((a) => ({ ...a, kind: 'activation' as const }));
  const runs = new Map<string, MilestoneRow[]>();
  for (const row of [...rows].sort((a, b) => (a.at < b.at ? -1 : 1))) {
    const list = runs.get(row.run_id);
    if (list) list.push(row);
    else runs.set(row.run_id, [row]);
  }
  const codes = new Set<string>();
  for (const [runId, list] of runs) {
    list.forEach((row, index) => {
      if (row.kind !== 'needs-attention' || !inPeriod(period, row.at)) return;
      const ms = Date.parse(row.at);
      const resolved = list.slice(index + 1).find((later) => later.kind === 'resolved');
      // Only a run parked now has its code on the person row; earlier waits' codes are not recorded.
      const code = resolved ? 'not-recorded' : (codeOfOpenRun.get(runId) ?? 'not-recorded');
      codes.add(code);
      events.push({
        bucket: bucketOf(ms),
        kind: 'entry',
        code,
        ...(resolved && { waitHours: (Date.parse(resolved.at) - ms) / hourMs }),
      });
    });
  }
  const codeList = [...codes].sort((a, b) =>
    a === 'not-recorded' ? 1 : b === 'not-recorded' ? -1 : a.localeCompare(b),
  );
  const table = tabulate(period, events, (list) => {
    const entries = list.filter((e): e is Entry => e.kind === 'entry');
    const waits = sortedNumbers(entries.flatMap((e) => (e.waitHours === undefined ? [] : [e.waitHours])));
    const acts = list.filter((e): e is Activation => e.kind === 'activation');
    const reminders = acts.reduce((sum, a) => sum + a.reminders, 0);
    return {
      entered: entries.length,
      resolved: waits.length,
      stillWaiting: entries.length - waits.length,
      medianWaitHours: rounded(percentile(waits, 0.5)),
      p90WaitHours: rounded(percentile(waits, 0.9)),
      remindersPerActivation: acts.length === 0 ? null : rounded(reminders / acts.length),
      ...Object.fromEntries(codeList.map((code) => [`code:${code}`, count(entries, (e) => e.code === code)])),
    };
  });
  return { ...table, codes: codeList };
}
