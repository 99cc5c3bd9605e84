/**
 * `npm run simulator`: the simulator as its own process. Configuration comes from the environment,
 * checked with zod; a bad variable stops the start naming it. The token is never logged.
 */
import { z } from 'zod';
import { DEFAULT_SIMULATOR_PORT } from '../config/defaults';
import { DEV_TOKEN } from './dev-token';
import { startSimulator } from './server';
import { parseShapes } from './shapes';

const optionalNumber = z
  .string()
  .trim()
  .transform((value, context) => {
    const number = Number(value);
    if (value === '' || !Number.isFinite(number) || number <= 0) {
      context.addIssue({ code: 'custom', message: `must be a positive number, got "${value}"` });
      return z.NEVER;
    }
    return number;
  })
  .optional();

const environmentSchema = z.object({
  SIMULATOR_PORT: z
    .string()
    .regex(/^\d+$/, 'must be a port number')
    .transform(Number)
    .refine((port) => port <= 65535, 'must be at most 65535')
    .default(DEFAULT_SIMULATOR_PORT),
  SIMULATOR_HOST: z.string().min(1).default('127.0.0.1'),
  SIMULATOR_TOKEN: z.string().regex(/^\S+$/, 'must be a non-empty token without spaces').default(DEV_TOKEN),
  SIMULATOR_DATA_FILE: z.string().min(1).optional(),
  SIMULATOR_RATE_LIMIT_RPS: optionalNumber,
  SIMULATOR_RATE_LIMIT_BURST: z
    .string()
    .regex(/^[1-9]\d*$/, 'must be a positive integer')
    .transform(Number)
    .optional(),
  SIMULATOR_RETRY_AFTER: z.enum(['none', 'seconds', 'http-date']).optional(),
  SIMULATOR_LOG_REQUESTS: z.enum(['0', '1']).default('0'),
  // Studio's webhooks (simulator/events.ts): on when a URL and a secret are set.
  SIMULATOR_EVENTS_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  SIMULATOR_EVENTS_SECRET: z.string().regex(/^\S+$/, 'must be a non-empty secret without spaces').optional(),
  SIMULATOR_EVENTS_DROP_RATE: z
    .string()
    .regex(/^(0(\.\d+)?|1(\.0+)?)$/, 'must be a number from 0 to 1')
    .transform(Number)
    .optional(),
  // A profile name or a comma list of variants (simulator/shapes.ts), e.g. `all-variants`.
  SIMULATOR_SHAPES: z
    .string()
    .transform((value, context) => {
      try {
        return parseShapes(value);
      } catch (error) {
        context.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
        return z.NEVER;
      }
    })
    .optional(),
});

async function main(): Promise<void> {
  // Empty variables count as unset, like most shells' `VAR= npm run simulator` intends.
  const environment = Object.fromEntries(Object.entries(process.env).filter(([, value]) => value !== ''));
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      console.error(`simulator: invalid ${issue.path.join('.')}: ${issue.message}`);
    }
    process.exitCode = 1;
    return;
  }
  const env = parsed.data;
  if ((env.SIMULATOR_EVENTS_URL === undefined) !== (env.SIMULATOR_EVENTS_SECRET === undefined)) {
    console.error(
      'simulator: invalid SIMULATOR_EVENTS_URL: needs SIMULATOR_EVENTS_SECRET too (and the other way round)',
    );
    process.exitCode = 1;
    return;
  }
  const simulator = await startSimulator({
    token: env.SIMULATOR_TOKEN,
    port: env.SIMULATOR_PORT,
    host: env.SIMULATOR_HOST,
    dataFile: env.SIMULATOR_DATA_FILE,
    logRequests: env.SIMULATOR_LOG_REQUESTS === '1',
    shapes: env.SIMULATOR_SHAPES,
    ...(env.SIMULATOR_EVENTS_URL !== undefined &&
      env.SIMULATOR_EVENTS_SECRET !== undefined && {
        events: {
          url: env.SIMULATOR_EVENTS_URL,
          secret: env.SIMULATOR_EVENTS_SECRET,
          ...(env.SIMULATOR_EVENTS_DROP_RATE !== undefined && { dropRate: env.SIMULATOR_EVENTS_DROP_RATE }),
        },
      }),
    rateLimit:
      env.SIMULATOR_RATE_LIMIT_RPS === undefined
        ? undefined
        : {
            requestsPerSecond: env.SIMULATOR_RATE_LIMIT_RPS,
            burst: env.SIMULATOR_RATE_LIMIT_BURST,
            retryAfter: env.SIMULATOR_RETRY_AFTER,
          },
  });
  const tokenSource = env.SIMULATOR_TOKEN === DEV_TOKEN ? 'the development token' : 'SIMULATOR_TOKEN';
  const shapes = env.SIMULATOR_SHAPES?.length ? `, shapes: ${env.SIMULATOR_SHAPES.join(',')}` : '';
  console.log(`Staffbase simulator listening on ${simulator.apiUrl} (auth: ${tokenSource}${shapes})`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    void simulator.close().then(
      () => {
        console.log(`Staffbase simulator stopped (${signal})`);
        process.exit(0);
      },
      (error: unknown) => {
        console.error('simulator: error while stopping', error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error('simulator: failed to start:', error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
