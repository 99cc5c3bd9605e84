/**
 * The batched look-up of bulk offboardings, its one Staffbase request: up to BATCHED_LOOKUP_MAX_PEOPLE
 * leavers with one `externalId eq "a" or externalId eq "b" …` list request (all managed statuses), as
 * the activation sweep asks. Each person's answer follows the single look-up's rules
 * (StaffbaseClient.findUserByExternalId): an exact externalID comparison, a managed account found in
 * any status, nobody = not found. Wherever the batch cannot say that as surely, the person is told to
 * look up alone (the single look-up is the reference): the tenant refused the filter (400) or the
 * client looks people up by path, the page was not the whole answer, the answer held somebody nobody
 * asked for (a filter loosened), or the person matched an unmanaged or more than one account.
 */
import { log } from '@temporalio/activity';
import { BATCHED_LOOKUP_MAX_PEOPLE } from '../config/defaults';
import type { BatchedAccountAnswer } from '../lifecycle/batched-lookup';
import { ALL_USER_STATUSES, DEFAULT_PAGE_SIZE, isSameExternalId } from '../staffbase/api-choices';
import type { StaffbaseClient } from '../staffbase/client';
import { StaffbaseValidationError, loggableMessage } from '../staffbase/errors';
import { type StaffbaseAccount, isManagedUser } from '../staffbase/schemas';
import { snapshotOf } from './account-step-activities';
import { externalIdAnyOf } from './activation-sweep-activities';
import { withRetryDecisions } from './activity-failures';

/** A batch's answer: every asked externalID answered, and the moment the request went out. */
export interface BatchedAccountsRead {
  /** Epoch ms taken just before the list request was sent. */
  readAt: number;
  answers: Record<string, BatchedAccountAnswer>;
}

const alone: BatchedAccountAnswer = { result: 'look-up-alone' };

function everyoneAlone(externalIDs: readonly string[], readAt: number): BatchedAccountsRead {
  return { readAt, answers: Object.fromEntries(externalIDs.map((id) => [id, alone])) };
}

/** One person's answer from a page that was complete and held only asked-for people. */
function answerFor(externalID: string, users: readonly StaffbaseAccount[]): BatchedAccountAnswer {
  const matches = users.filter((user) => isSameExternalId(user.externalID, externalID));
  if (matches.length === 0) return { result: 'gone' };
  const [only] = matches;
  if (matches.length > 1 || !only || !isManagedUser(only)) return alone;
  return { result: 'found', account: snapshotOf(only) };
}

/** The people of a list page, each by the rules above. */
export function batchedAnswers(
  externalIDs: readonly string[],
  page: { total: number; users: readonly StaffbaseAccount[] },
): Record<string, BatchedAccountAnswer> {
  const complete = page.total <= page.users.length && page.users.length < DEFAULT_PAGE_SIZE;
  const onlyAsked = page.users.every((user) =>
    externalIDs.some((wanted) => isSameExternalId(user.externalID, wanted)),
  );
  return Object.fromEntries(
    externalIDs.map((externalID) => {
      const answer = answerFor(externalID, page.users);
      // "Not in the answer" means not found only in an answer that is whole and filtered as asked.
      return [externalID, answer.result === 'gone' && !(complete && onlyAsked) ? alone : answer];
    }),
  );
}

export function createBatchedLookupActivities(staffbase: StaffbaseClient) {
  return {
    /** One `GET /users` for up to BATCHED_LOOKUP_MAX_PEOPLE leavers (bulk lane, on the Staffbase queue). */
    async findAccountsByExternalIds(externalIDs: string[]): Promise<BatchedAccountsRead> {
      const distinct = [...new Set(externalIDs)];
      if (distinct.length > BATCHED_LOOKUP_MAX_PEOPLE) {
        throw new TypeError(`at most ${BATCHED_LOOKUP_MAX_PEOPLE} externalIDs per batched look-up`);
      }
      const readAt = Date.now();
      // No externalID filter on this tenant (STAFFBASE_LOOKUP_MODE=path, or found out): no request.
      if (distinct.length === 0 || staffbase.externalIdLookupMode === 'path') {
        return everyoneAlone(distinct, readAt);
      }
      return withRetryDecisions(async () => {
        const sentAt = Date.now();
        try {
          const page = await staffbase.listUsersPage({
            filter: externalIdAnyOf(distinct),
            statuses: [...ALL_USER_STATUSES],
            offset: 0,
            limit: DEFAULT_PAGE_SIZE,
          });
          return { readAt: sentAt, answers: batchedAnswers(distinct, page) };
        } catch (error) {
          if (!(error instanceof StaffbaseValidationError) || error.status !== 400) throw error;
          log.warn(
            'the tenant refused the batched look-up filter `externalId eq … or …` (HTTP 400): the leavers ' +
              'of this batch are looked up one by one',
            { batch: distinct.length, refusal: loggableMessage(error) },
          );
          return everyoneAlone(distinct, sentAt);
        }
      });
    },
  };
}

export type BatchedLookupActivities = ReturnType<typeof createBatchedLookupActivities>;
