/**
 * `GET /users` over the simulated tenant: the `filter=` language, the free-text `query=`, the
 * documented default of activated users only, sorting and offset paging.
 */
import { badRequest } from './errors';
import { matchesFilter, mentionsStatus } from './filter/evaluate';
import { parseFilter } from './filter/parser';
import { type FilterNode, FilterSyntaxError } from './filter/syntax';
import { type ApiUser, type SimulatedUserRecord } from './types';
import { toApiUser } from './user-records';

export interface ListQuery {
  filter?: string;
  query?: string;
  limit: number;
  offset: number;
  sort?: string;
}

export interface ListResult {
  total: number;
  limit: number;
  offset: number;
  data: ApiUser[];
}

export function listUsers(users: Iterable<SimulatedUserRecord>, request: ListQuery): ListResult {
  let filter: FilterNode | undefined;
  if (request.filter !== undefined && request.filter.trim() !== '') {
    try {
      filter = parseFilter(request.filter);
    } catch (error) {
      if (error instanceof FilterSyntaxError) throw badRequest(`filter: ${error.message}`);
      throw error;
    }
  }
  // [doc] Without a staffbase.status condition only activated users are listed.
  const statusDefault = !filter || !mentionsStatus(filter);
  const text = request.query?.trim().toLowerCase();
  const matching = [...users].filter(
    (user) =>
      (!statusDefault || user.status === 'activated') &&
      (!filter || matchesFilter(filter, user)) &&
      (!text || matchesQuery(user, text)),
  );
  if (request.sort) matching.sort(sortComparator(request.sort));
  return {
    total: matching.length,
    limit: request.limit,
    offset: request.offset,
    data: matching.slice(request.offset, request.offset + request.limit).map(toApiUser),
  };
}

function matchesQuery(user: SimulatedUserRecord, text: string): boolean {
  const haystack = [
    user.firstName,
    user.lastName,
    `${user.firstName ?? ''} ${user.lastName ?? ''}`,
    user.userName,
    user.externalID,
    ...user.emails.map((email) => email.value),
  ];
  return haystack.some((value) => value?.toLowerCase().includes(text));
}

const sortFields: Record<string, (user: SimulatedUserRecord) => string> = {
  created: (u) => u.created,
  updated: (u) => u.updated,
  activated: (u) => u.activated ?? '',
  firstname: (u) => (u.firstName ?? '').toLowerCase(),
  lastname: (u) => (u.lastName ?? '').toLowerCase(),
  username: (u) => (u.userName ?? '').toLowerCase(),
  externalid: (u) => u.externalID ?? '',
  id: (u) => u.id,
};

/** `sort=lastName`, `-lastName`, `lastName:desc` or `lastName DESC`; ties keep creation order. */
function sortComparator(sort: string): (a: SimulatedUserRecord, b: SimulatedUserRecord) => number {
  const match = /^\s*([+-]?)([A-Za-z.]+)(?:[\s:,]+(asc|desc))?\s*$/i.exec(sort);
  const key = match?.[2]?.toLowerCase();
  const read = key ? sortFields[key] : undefined;
  if (!match || !read) {
    throw badRequest(`sort: cannot sort by "${sort}"; use one of ${Object.keys(sortFields).join(', ')}`);
  }
  const direction = match[1] === '-' || match[3]?.toLowerCase() === 'desc' ? -1 : 1;
  return (a, b) => {
    const left = read(a);
    const right = read(b);
    return left === right ? 0 : left < right ? -direction : direction;
  };
}
