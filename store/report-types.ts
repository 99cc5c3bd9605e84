/** What a report is (issue 32, docs/reports.md): its names, query, rows, columns and notes. */
import { type ReportGrouping } from './report-periods';

export const REPORT_NAMES = [
  'activation-funnel',
  'time-to-activate',
  'leaver-timeliness',
  'needs-attention',
  'reconciliation-drift',
] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

export interface ReportQuery {
  name: ReportName;
  /** `YYYY-MM-DD`, inclusive, in `timeZone`. */
  from: string;
  to: string;
  by: ReportGrouping;
  /** LIFECYCLE_TIME_ZONE. */
  timeZone: string;
  /** OFFBOARDING_END_OF_WORKING_DAY (`HH:MM`): when a last working day ends. */
  endOfWorkingDay: string;
}

export interface ReportColumn {
  key: string;
  label: string;
  unit: 'people' | 'days' | 'hours' | 'per activation' | 'reconciliations';
}

export type ReportValues = Record<string, number | null>;

export interface ReportRow {
  /** `2027-W03` or `2027-01`, and its days within the period. */
  period: string;
  from: string;
  to: string;
  values: ReportValues;
}

export interface Report {
  name: ReportName;
  from: string;
  to: string;
  by: ReportGrouping;
  timeZone: string;
  columns: ReportColumn[];
  rows: ReportRow[];
  /** Over the whole period (medians and percentiles of all its values, not of the rows'). */
  total: ReportValues;
  /** What the figures count, and what they cannot. */
  note: string;
}

export const FUNNEL_COLUMNS: ReportColumn[] = [
  { key: 'invited', label: 'Invited', unit: 'people' },
  { key: 'activatedWithin1Day', label: 'Activated within 1 day', unit: 'people' },
  { key: 'activatedWithin7Days', label: 'Activated within 7 days', unit: 'people' },
  { key: 'activatedWithin14Days', label: 'Activated within 14 days', unit: 'people' },
  { key: 'activatedWithin30Days', label: 'Activated within 30 days', unit: 'people' },
  { key: 'activated', label: 'Activated', unit: 'people' },
  { key: 'expired', label: 'Expired', unit: 'people' },
  { key: 'stillWaiting', label: 'Still waiting', unit: 'people' },
  { key: 'endedOtherwise', label: 'Ended otherwise (cancelled, …)', unit: 'people' },
];

export const TIME_TO_ACTIVATE_COLUMNS: ReportColumn[] = [
  { key: 'activated', label: 'Activated', unit: 'people' },
  { key: 'medianDays', label: 'Median days to activate', unit: 'days' },
  { key: 'p90Days', label: '90th percentile days', unit: 'days' },
];

export const LEAVER_COLUMNS: ReportColumn[] = [
  { key: 'deactivated', label: 'Deactivated', unit: 'people' },
  { key: 'medianHours', label: 'Median hours after the last working day', unit: 'hours' },
  { key: 'p95Hours', label: '95th percentile hours', unit: 'hours' },
  { key: 'laterThan1Hour', label: 'Later than 1 hour', unit: 'people' },
  { key: 'startedLate', label: 'Started late', unit: 'people' },
  { key: 'lastWorkingDayUnknown', label: 'Last working day unknown', unit: 'people' },
  { key: 'deletedOnSchedule', label: 'Deleted on schedule', unit: 'people' },
  { key: 'deletedAfterHold', label: 'Deleted after a hold', unit: 'people' },
];

export const ATTENTION_COLUMNS: ReportColumn[] = [
  { key: 'entered', label: 'Needed attention', unit: 'people' },
  { key: 'resolved', label: 'Resolved', unit: 'people' },
  { key: 'stillWaiting', label: 'Still waiting', unit: 'people' },
  { key: 'medianWaitHours', label: 'Median wait (hours)', unit: 'hours' },
  { key: 'p90WaitHours', label: '90th percentile wait (hours)', unit: 'hours' },
  { key: 'remindersPerActivation', label: 'Reminders per activation', unit: 'per activation' },
];

/** reconciliation-drift over a period without any reconciliation: no columns, this note. */
export const DRIFT_NO_DATA_NOTE =
  'No data yet: no reconciliation was classified in this period (`staffbase-lifecycle reconcile`, docs/reconciliation.md).';

export const NOTES: Record<ReportName, string> = {
  'activation-funnel':
    'Invitations sent in each period, and what became of them (at any time since): activated within 1, 7, 14 or 30 days of the invitation, expired, still waiting, or ended otherwise (cancelled, rehire refused, account deleted elsewhere). The "within" counts are cumulative.',
  'time-to-activate':
    'Activations in each period: days from the invitation to the activation. Median and percentiles interpolate between the closest values (the median of 2 and 9 is 5.5).',
  'leaver-timeliness':
    'Deactivations in each period: hours from the end of the last working day (OFFBOARDING_END_OF_WORKING_DAY in LIFECYCLE_TIME_ZONE) to the deactivation; negative means before it. Offboardings started after that moment count as started late and are left out of the hours. The last working day is the one on the person row, so a deactivation of a person who has since been onboarded again counts as last working day unknown. Deletions in each period: on schedule, or after a legal hold was released.',
  'needs-attention':
    'Runs that parked in needs-attention in each period, how many left it and how long they waited. Codes: the code each run parked with, resolved or not; "not recorded" for waits recorded before the code was kept with them. Reminders per activation: reminders sent between the invitation and the activation, for activations in the period.',
  'reconciliation-drift':
    'Reconciliations classified in each period (dry runs too) and the people per situation of the period’s latest one: how far Staffbase drifted from HR. A period without one shows no counts.',
};
