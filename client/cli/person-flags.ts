import { type Command } from 'commander';
import { collectKeyValue, collectList } from './parsing';

/**
 * The flags of an onboarding request's person fields, for `onboard` (a new request: the first four
 * are required) and `correct` (a correction: any of them). One list, so that both commands name,
 * explain and parse the same fields alike.
 */
export function onboardingPersonFlags(command: Command, use: 'request' | 'correction'): Command {
  const required = use === 'request' ? ' (required)' : '';
  const groups = use === 'request' ? 'Staffbase group to join' : 'Staffbase groups to join instead';
  return command
    .option('--user-name <name>', `Staffbase user name${required}`)
    .option('--first-name <name>', `first name${required}`)
    .option('--last-name <name>', `last name${required}`)
    .option('--email <address>', `where the invitation goes${required}`)
    .option('--locale <locale>', 'e.g. de_DE or en')
    .option('--group <groupID>', `${groups} (repeat, or comma-separated)`, collectList)
    .option('--profile <field=value>', 'custom profile field (repeat)', collectKeyValue);
}
