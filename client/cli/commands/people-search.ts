/**
 * `list --search <text>`: the person index in the project's own store (docs/store.md), read directly
 * like `store migrate` and `audit verify` do — everyone, at any number of people, with the exact total
 * and paging by cursor; no Temporal. Loaded only when the command runs (it brings the store).
 */
import type { PeopleQuery } from '../../../store';
import { type CommandContext } from '../context';
import { CliError, ExitCode } from '../exit-codes';
import { table } from '../format';
import { personSummary } from '../../person-summary';
import { withConfiguredStore } from './store';

/** The store's query, with `--search` for its `q`. */
export interface PeopleSearchOptions extends Omit<PeopleQuery, 'q'> {
  search: string;
}

/** The flag each of the store's query fields came from. */
const flagOf: Record<string, string> = {
  q: '--search',
  lifecycle: '--lifecycle',
  stage: '--stage',
  from: '--from',
  to: '--to',
  limit: '--limit',
  cursor: '--cursor',
};

export async function showPeopleSearch(ctx: CommandContext, options: PeopleSearchOptions): Promise<void> {
  const { StoreInputError } = await import('../../../store/index.js');
  await withConfiguredStore(ctx, async ({ where, store }) => {
    let page;
    try {
      page = await store.people.findPeople({
        q: options.search,
        ...(options.lifecycle !== undefined && { lifecycle: options.lifecycle }),
        ...(options.stage !== undefined && { stage: options.stage }),
        ...(options.from !== undefined && { from: options.from }),
        ...(options.to !== undefined && { to: options.to }),
        ...(options.limit !== undefined && { limit: options.limit }),
        ...(options.cursor !== undefined && { cursor: options.cursor }),
      });
    } catch (error) {
      if (!(error instanceof StoreInputError)) throw error;
      const flag = flagOf[error.field] ?? error.field;
      throw new CliError(`${flag}: ${error.problem}`, ExitCode.invalidInput, [
        { field: flag, message: error.problem },
      ]);
    }
    const people = page.people.map(personSummary);
    const nextCursor = page.nextCursor ?? null;
    const lines =
      people.length === 0
        ? ['No people match.']
        : table(
            ['EXTERNAL ID', 'NAME', 'LIFECYCLE', 'STAGE', 'START / LEAVING', 'ATTENTION / OUTCOME'],
            people.map((person) => [
              person.externalID,
              person.name ?? '',
              person.lifecycle,
              person.stage,
              (person.lifecycle === 'offboarding' ? person.lastWorkingDay : person.startDate) ?? '',
              person.attentionCode ?? person.outcome ?? '',
            ]),
          );
    lines.push('', `${people.length} shown of ${page.total} matching (person index, ${where})`);
    if (nextCursor !== null) lines.push(`next page: --cursor ${nextCursor}`);
    ctx.result({ store: where, people, total: page.total, nextCursor }, lines);
  });
}
