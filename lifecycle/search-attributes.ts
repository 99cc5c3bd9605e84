import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes: the Temporal UI and `staffbase-lifecycle list` filter runs by them
 * (e.g. `StaffbaseExternalId = "emp-42"`, `LifecycleStage = "awaiting-activation"`).
 * Every server the project uses registers them: the dev server at start, docker-compose at setup,
 * the test servers in test/helpers/temporal.ts.
 */
export const externalIdSearchAttribute = defineSearchAttributeKey(
  'StaffbaseExternalId',
  SearchAttributeType.KEYWORD,
);
export const lifecycleStageSearchAttribute = defineSearchAttributeKey(
  'LifecycleStage',
  SearchAttributeType.KEYWORD,
);

/** Set while a run waits in `needs-attention` (the AttentionCode, e.g. `auth`), cleared after. */
export const attentionCodeSearchAttribute = defineSearchAttributeKey(
  'AttentionCode',
  SearchAttributeType.KEYWORD,
);

/**
 * True while an offboarding is under a legal hold, false once released: every process (a clean-up,
 * the UI, `LegalHold = true`) sees the hold, not only the run that holds it. A closed run keeps its
 * last value, so ask for open runs (`ExecutionStatus = 'Running'`).
 */
export const legalHoldSearchAttribute = defineSearchAttributeKey('LegalHold', SearchAttributeType.BOOL);

/**
 * The Staffbase user id of the account an offboarding acts on, set once the run has resolved it: a
 * `user.deleted` event names only that id (the account can no longer be read for its externalID),
 * so the event's run finds the offboarding by it (workflows/staffbase-event.ts).
 */
export const staffbaseUserIdSearchAttribute = defineSearchAttributeKey(
  'StaffbaseUserId',
  SearchAttributeType.KEYWORD,
);

export const lifecycleSearchAttributes = [
  externalIdSearchAttribute,
  lifecycleStageSearchAttribute,
  attentionCodeSearchAttribute,
  legalHoldSearchAttribute,
  staffbaseUserIdSearchAttribute,
];

/** One of the project's search attribute keys. */
export type LifecycleSearchAttributeKey = (typeof lifecycleSearchAttributes)[number];

/** The type names of `temporal server start-dev --search-attribute` and `temporal operator search-attribute create`. */
const cliTypeNames: Record<SearchAttributeType, string> = {
  [SearchAttributeType.TEXT]: 'Text',
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.DOUBLE]: 'Double',
  [SearchAttributeType.BOOL]: 'Bool',
  [SearchAttributeType.DATETIME]: 'Datetime',
  [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
};

/** A search attribute's type as the Temporal CLI names it, e.g. `Keyword`, `Bool`. */
export function searchAttributeCliType(key: LifecycleSearchAttributeKey): string {
  return cliTypeNames[key.type];
}

/** `--search-attribute Name=Type` arguments for `temporal server start-dev`. */
export function devServerSearchAttributeArgs(): string[] {
  return lifecycleSearchAttributes.flatMap((key) => [
    '--search-attribute',
    `${key.name}=${searchAttributeCliType(key)}`,
  ]);
}
