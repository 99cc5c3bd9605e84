/**
 * One person of the person index as the HR API (`GET /v1/people`) and the CLI (`list --search`) show
 * them: the index's row without the run bookkeeping (run ids, first and last name apart).
 */
import { type PersonRecord } from '../store';

export type PersonSummary = Omit<PersonRecord, 'firstName' | 'lastName' | 'openRunId' | 'latestRunId'>;

export function personSummary(person: PersonRecord): PersonSummary {
  return {
    externalID: person.externalID,
    name: person.name,
    email: person.email,
    lifecycle: person.lifecycle,
    stage: person.stage,
    startDate: person.startDate,
    lastWorkingDay: person.lastWorkingDay,
    attentionCode: person.attentionCode,
    outcome: person.outcome,
    updatedAt: person.updatedAt,
  };
}
