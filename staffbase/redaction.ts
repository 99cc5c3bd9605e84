/**
 * Removes the API token from text that ends up in errors. The client never puts the token there
 * itself; this guards against a server or proxy echoing the Authorization header back.
 */
export type Redactor = (text: string) => string;

export const REDACTED = '[redacted]';

export function createRedactor(token: string): Redactor {
  const secrets = new Set([token]);
  // The token is base64 of `<id>:<secret>`: the decoded secret must not leak either.
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  const secret = decoded.includes(':') ? decoded.slice(decoded.indexOf(':') + 1) : '';
  if (secret.length >= 8) secrets.add(decoded).add(secret);
  const ordered = [...secrets].sort((a, b) => b.length - a.length);
  return (text) => ordered.reduce((result, value) => result.split(value).join(REDACTED), text);
}
