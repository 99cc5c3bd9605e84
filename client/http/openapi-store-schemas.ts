/**
 * The response schemas for what the project's own store answers (store/, docs/store.md): a page of the
 * person index, a page of the audit trail, a report. The HR console's types are generated from them
 * (tooling/console-api-types.ts).
 */
import { type JsonSchema, ref, str } from './openapi-responses';

export const storeSchemas: Record<string, JsonSchema> = {
  PeoplePage: {
    type: 'object',
    required: ['people', 'total', 'nextCursor'],
    properties: {
      people: { type: 'array', items: ref('PersonSummary') },
      total: { type: 'integer', description: 'Exact: everyone the filter matches, over all pages.' },
      nextCursor: {
        type: ['string', 'null'],
        description: 'Pass as `cursor` for the next page; null on the last page.',
      },
      counts: {
        type: 'object',
        description:
          'With `counts=true`: everyone in the index by lifecycle and stage, e.g. `{ "onboarding": { "awaiting-activation": 12 } }` (not only the filter’s).',
        additionalProperties: { type: 'object', additionalProperties: { type: 'integer' } },
      },
    },
  },
  PersonSummary: {
    type: 'object',
    description:
      'One person in the index: their latest open run, else their latest closed one. Names and emails are erased some days after the account is deleted (null then).',
    required: [
      'externalID',
      'name',
      'email',
      'lifecycle',
      'stage',
      'startDate',
      'lastWorkingDay',
      'attentionCode',
      'outcome',
      'updatedAt',
    ],
    properties: {
      externalID: str(),
      name: { type: ['string', 'null'], description: 'First and last name.' },
      email: { type: ['string', 'null'] },
      lifecycle: str('onboarding or offboarding.'),
      stage: str('The run’s stage, e.g. awaiting-activation, retention, completed.'),
      startDate: { type: ['string', 'null'], description: 'YYYY-MM-DD (onboarding).' },
      lastWorkingDay: { type: ['string', 'null'], description: 'YYYY-MM-DD (offboarding).' },
      attentionCode: {
        type: ['string', 'null'],
        description: 'While the run waits in needs-attention: why.',
      },
      outcome: { type: ['string', 'null'], description: 'How the run ended, once closed.' },
      updatedAt: str('When the index last changed for this person (UTC).'),
    },
  },
  AuditPage: {
    type: 'object',
    required: ['rows'],
    properties: {
      rows: {
        type: 'array',
        items: {
          type: 'object',
          required: ['seq', 'at', 'actorKind', 'action', 'prevHash', 'hash'],
          properties: {
            seq: { type: 'integer', description: 'The row number in the chain, from 1, without gaps.' },
            at: str('When (UTC).'),
            actorKind: str(
              'Which key or process acted: lifecycle-key, admin-key, dev-mode, cli, worker, schedule.',
            ),
            actorUser: {
              type: ['string', 'null'],
              description: 'The trusted user header, or the CLI’s OS user.',
            },
            action: str('The act, e.g. delete-now-requested, account-deleted, store-erased.'),
            externalID: { type: ['string', 'null'] },
            runId: { type: ['string', 'null'], description: 'The workflow id of the run.' },
            outcome: { type: ['string', 'null'] },
            reason: {
              type: ['string', 'null'],
              description:
                'Free text (null once erased): the reason, then [claimedBy: …; staffbaseUserId: …; count: …].',
            },
            reasonHash: {
              type: ['string', 'null'],
              description: 'SHA-256 of the reason: stays when it is erased.',
            },
            prevHash: str('The hash of the row before (64 zeros for row 1).'),
            hash: str('SHA-256 over prevHash and this row’s fields.'),
          },
        },
      },
      nextCursor: str('Absent on the last page: pass it as `cursor` for the next.'),
    },
  },
  Report: {
    type: 'object',
    description:
      'A report over a period (GET /v1/reports/{name}): one row per ISO week or month, and the total.',
    required: ['name', 'from', 'to', 'by', 'timeZone', 'columns', 'rows', 'total', 'note'],
    properties: {
      name: str('The report, e.g. `leaver-timeliness`.'),
      from: str('First day of the period (inclusive), `YYYY-MM-DD` in `timeZone`.'),
      to: str('Last day of the period (inclusive).'),
      by: { type: 'string', enum: ['week', 'month'] },
      timeZone: str('LIFECYCLE_TIME_ZONE: the zone the days and the weeks or months are in.'),
      columns: {
        type: 'array',
        description: 'The figures of each row, in order: key, label for people, unit.',
        items: {
          type: 'object',
          required: ['key', 'label', 'unit'],
          properties: {
            key: str('The figure’s key in `values` and `total`, e.g. `laterThan1Hour`.'),
            label: str(),
            unit: { type: 'string', enum: ['people', 'days', 'hours', 'per activation', 'reconciliations'] },
          },
        },
      },
      rows: {
        type: 'array',
        items: {
          type: 'object',
          required: ['period', 'from', 'to', 'values'],
          properties: {
            period: str('`2027-W03` (ISO week) or `2027-01` (month).'),
            from: str('The period’s first day within the range.'),
            to: str('Its last day within the range.'),
            values: ref('ReportValues'),
          },
        },
      },
      total: ref('ReportValues'),
      note: str('What the figures count, and what they cannot.'),
    },
  },
  ReportValues: {
    type: 'object',
    description: 'Figures by column key; null where there is nothing to measure (a median of no values).',
    additionalProperties: { type: ['number', 'null'] },
  },
};
