/**
 * Value rules for environment variables, shared by every configuration module. Each message is
 * written out here, so none echoes the variable's value back (values may be secrets).
 */
import { z } from 'zod';

/** A whole number within [min, max]. */
export function wholeNumber(min: number, max: number) {
  return z
    .string()
    .trim()
    .regex(/^[+-]?\d+$/, { error: 'must be a whole number' })
    .transform(Number)
    .refine((value) => value >= min && value <= max, { error: `must be between ${min} and ${max}` });
}

/** A number greater than zero; fractions allowed (e.g. 0.5 requests per second). */
export function positiveNumber(max: number) {
  return z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$|^\.\d+$/, { error: 'must be a positive number' })
    .transform(Number)
    .refine((value) => value > 0 && value <= max, { error: `must be greater than 0 and at most ${max}` });
}

export function portNumber() {
  return wholeNumber(1, 65535);
}

/** true/false, 1/0, yes/no (any case). */
export function booleanFlag() {
  return z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^(true|false|1|0|yes|no)$/, { error: 'must be true or false' })
    .transform((value) => value === 'true' || value === '1' || value === 'yes');
}

/** An absolute http(s) URL. */
export function httpUrl(what: string) {
  return z.url({ protocol: /^https?$/, error: `must be an http(s) URL of ${what}` });
}

/** `host:port`, e.g. `127.0.0.1:7233`, `temporal:7233` or `ns.acct.tmprl.cloud:7233`. */
export function hostAndPort() {
  return z
    .string()
    .trim()
    .refine(
      (value) => {
        const match = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):(\d{1,5})$/.exec(value);
        const port = Number(match?.[2]);
        return match !== null && port >= 1 && port <= 65535;
      },
      { error: 'must be host:port with a port between 1 and 65535, e.g. 127.0.0.1:7233' },
    );
}
