/**
 * Parked lifecycle event deliveries (docs/events.md): `events parked` lists the deliveries that kept
 * failing past LIFECYCLE_EVENT_MAX_RETRY_HOURS; `events retry [--subscriber <id>] [--event <id>]` puts
 * them back for delivery and wakes the dispatcher. Subscriber and event ids only: never a URL or secret.
 */
import { type Command } from 'commander';
import { type CliIo } from '../context';
import { withContext } from '../parsing';
import { withConfiguredStore } from './store';

export function registerLifecycleEventCommands(
  program: Command,
  io: CliIo,
  state: { exitCode: number },
): void {
  const events = program
    .command('events')
    .summary('lifecycle events to subscribers: list and retry parked deliveries')
    .description('Outbound lifecycle events (LIFECYCLE_EVENT_SUBSCRIBERS, docs/events.md).');
  events
    .command('parked')
    .summary('deliveries waiting in needs-attention (each holds that person’s later events)')
    .action(
      withContext(io, state, async (ctx) => {
        const { parkedLifecycleEvents } = await import('../../lifecycle-event-retry.js');
        await withConfiguredStore(ctx, async ({ store }) => {
          const parked = await parkedLifecycleEvents(store);
          ctx.result(
            { parked },
            parked.length === 0
              ? 'No parked lifecycle event deliveries'
              : parked.map(
                  (event) =>
                    `${event.subscriberId}  ${event.eventId}  ${event.externalID} #${event.sequence} ` +
                    `${event.lifecycle}.${event.milestone}  parked ${event.parkedAt ?? '?'}: ${event.failure ?? ''}`,
                ),
          );
        });
      }),
    );
  events
    .command('retry')
    .summary('deliver parked events again (all, one subscriber’s, or one event)')
    .option('--subscriber <id>', 'only this subscriber’s parked deliveries')
    .option('--event <id>', 'only this event (evt_…)')
    .action(
      withContext(io, state, async (ctx, options: { subscriber?: string; event?: string }) => {
        const [{ retryParkedLifecycleEvents }, client] = await Promise.all([
          import('../../lifecycle-event-retry.js'),
          ctx.client(),
        ]);
        await withConfiguredStore(ctx, async ({ store }) => {
          const result = await retryParkedLifecycleEvents(store, client, {
            ...(options.subscriber !== undefined && { subscriberId: options.subscriber }),
            ...(options.event !== undefined && { eventId: options.event }),
          });
          await ctx.audit({ event: 'lifecycle-events-retried', outcome: String(result.retried) });
          ctx.result(
            result,
            `${result.retried} parked deliver${result.retried === 1 ? 'y' : 'ies'} back for delivery` +
              (result.dispatcher === 'woken' ? '' : ' (the dispatcher is not running: they wait for it)'),
          );
        });
      }),
    );
}
