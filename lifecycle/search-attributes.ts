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

export const lifecycleSearchAttributes = [
  externalIdSearchAttribute,
  lifecycleStageSearchAttribute,
  attentionCodeSearchAttribute,
];

/** `--search-attribute Name=Keyword` arguments for `temporal server start-dev`. */
export function devServerSearchAttributeArgs(): string[] {
  return lifecycleSearchAttributes.flatMap((key) => ['--search-attribute', `${key.name}=Keyword`]);
}
