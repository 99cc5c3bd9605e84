/**
 * SMTP settings for the reminder notifier, read from the environment and validated at start-up
 * (design: configuration is validated once, with every problem named at the same time).
 */
import addressparser from 'nodemailer/lib/addressparser';
import { z } from 'zod';
import { DEFAULT_SMTP_PORT } from './defaults';

/** The SMTP variables this module reads (STAFFBASE_APP_URL, shown in the mails, is read as well). */
export const SMTP_ENV_VARS = [
  'SMTP_HOST',
  'SMTP_PORT',
  'SMTP_SECURE',
  'SMTP_REQUIRE_TLS',
  'SMTP_USER',
  'SMTP_PASSWORD',
  'SMTP_FROM',
] as const;

const ENV_KEYS = [...SMTP_ENV_VARS, 'STAFFBASE_APP_URL'] as const;

const emailAddress = z.email();

/** One sender, either `hr@example.com` or `HR Team <hr@example.com>`. */
function isSingleMailbox(value: string): boolean {
  const parsed = addressparser(value, { flatten: true });
  return parsed.length === 1 && emailAddress.safeParse(parsed[0]?.address).success;
}

/**
 * `pass` is non-enumerable, so logging the config (console.log, JSON.stringify, spreading) shows no
 * password; reading `auth.pass` still works for the transport.
 */
function withHiddenPassword(user: string, pass: string): { user: string; pass: string } {
  const auth = { user } as { user: string; pass: string };
  Object.defineProperty(auth, 'pass', { value: pass, enumerable: false });
  return auth;
}

const isTrue = (value: string | undefined): boolean => value === 'true' || value === '1' || value === 'yes';

// Messages are written out here (not zod's defaults) so no message can ever echo a value back.
export const smtpConfigSchema = z
  .object({
    SMTP_HOST: z
      .string({ error: 'is required (the SMTP server host name)' })
      .trim()
      .regex(/^(?:[A-Za-z0-9_-]+\.)*[A-Za-z0-9_-]+\.?$|^\[?[0-9A-Fa-f:.]+\]?$/, {
        error: 'must be a host name or IP address',
      }),
    SMTP_PORT: z.coerce
      .number({ error: 'must be a port number' })
      .int({ error: 'must be a port number' })
      .min(1, { error: 'must be between 1 and 65535' })
      .max(65535, { error: 'must be between 1 and 65535' })
      .default(DEFAULT_SMTP_PORT),
    // A plain string check, not z.stringbool(): a failing pipe would stop the cross-field checks below.
    SMTP_SECURE: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^(true|false|1|0|yes|no)$/, { error: 'must be true or false' })
      .optional(),
    // STARTTLS required unless explicitly opted out (a relay on localhost without TLS).
    SMTP_REQUIRE_TLS: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^(true|false|1|0|yes|no)$/, { error: 'must be true or false' })
      .optional(),
    SMTP_USER: z.string().trim().min(1).optional(),
    SMTP_PASSWORD: z.string().min(1).optional(),
    SMTP_FROM: z
      .string({ error: 'is required (the sender address, e.g. "HR Team <hr@example.com>")' })
      .trim()
      .refine(isSingleMailbox, { error: 'must be one email address, e.g. "HR Team <hr@example.com>"' }),
    STAFFBASE_APP_URL: z.url({
      protocol: /^https?$/,
      error: 'is required and must be an http(s) URL of the employee app',
    }),
  })
  // `when` makes these run even when other variables are bad, so every problem is reported at once.
  .refine((env) => env.SMTP_USER === undefined || env.SMTP_PASSWORD !== undefined, {
    path: ['SMTP_PASSWORD'],
    error: 'is required when SMTP_USER is set',
    when: () => true,
  })
  .refine((env) => env.SMTP_PASSWORD === undefined || env.SMTP_USER !== undefined, {
    path: ['SMTP_USER'],
    error: 'is required when SMTP_PASSWORD is set',
    when: () => true,
  })
  .transform((env) => {
    const secure = isTrue(env.SMTP_SECURE);
    return {
      host: env.SMTP_HOST,
      port: env.SMTP_PORT,
      /** true = TLS from the first byte (port 465); false = STARTTLS. */
      secure,
      /**
       * Without `secure`: STARTTLS is required and a server that does not offer it is refused, so a
       * password and the invitation codes never cross the network in clear (SMTP_REQUIRE_TLS=false opts out).
       */
      requireTLS: !secure && (env.SMTP_REQUIRE_TLS === undefined || isTrue(env.SMTP_REQUIRE_TLS)),
      auth:
        env.SMTP_USER !== undefined && env.SMTP_PASSWORD !== undefined
          ? withHiddenPassword(env.SMTP_USER, env.SMTP_PASSWORD)
          : undefined,
      from: env.SMTP_FROM,
      appUrl: env.STAFFBASE_APP_URL,
    };
  });

export type SmtpConfig = z.infer<typeof smtpConfigSchema>;

export class SmtpConfigError extends Error {
  override readonly name = 'SmtpConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid SMTP configuration: ${problems.join('; ')}`);
  }
}

/** Reads and validates the SMTP settings; throws one {@link SmtpConfigError} naming every bad variable. */
export function smtpConfigFromEnv(env: NodeJS.ProcessEnv): SmtpConfig {
  // Only our keys, and an empty variable counts as unset (common with `FOO=` in .env files).
  const relevant = Object.fromEntries(
    ENV_KEYS.map((key) => [key, env[key] === '' ? undefined : env[key]] as const).filter(
      ([, value]) => value !== undefined,
    ),
  );
  const result = smtpConfigSchema.safeParse(relevant);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `${issue.path.join('.') || '(environment)'} ${issue.message}`,
  );
  // Belt and braces: no problem text may contain the password, whatever a future message says.
  const password = env.SMTP_PASSWORD;
  throw new SmtpConfigError(
    password ? problems.map((problem) => problem.split(password).join('[redacted]')) : problems,
  );
}
