/**
 * What a strict payload codec hands on in place of a payload that came in unencrypted: a JSON value
 * the default payload converter decodes without error, so the refusal can happen inside the
 * workflow (workflows/unencrypted-input-guard.ts) as a failure of the run. A codec that threw
 * instead would fail the worker's activation, and the server would retry that workflow task forever.
 * Imported by workflow code too: no Node built-ins here.
 */

/** The key of the stand-in object; its value says why the original is not there. */
export const UNENCRYPTED_PAYLOAD_MARK = '__lifecycleUnencryptedPayloadRefused';

export interface UnencryptedPayloadStandIn {
  [UNENCRYPTED_PAYLOAD_MARK]: true;
}

export const unencryptedPayloadStandIn: UnencryptedPayloadStandIn = { [UNENCRYPTED_PAYLOAD_MARK]: true };

export function isUnencryptedPayloadStandIn(value: unknown): value is UnencryptedPayloadStandIn {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<string, unknown>)[UNENCRYPTED_PAYLOAD_MARK] === true
  );
}

/** The failure type a run, update or query refused for unencrypted input fails with. */
export const UNENCRYPTED_PAYLOAD_FAILURE = 'UnencryptedPayloadRefused';

export const unencryptedPayloadMessage = (what: string): string =>
  `${what} was not encrypted, and this worker accepts encrypted payloads only (LIFECYCLE_ENCRYPTION=on): ` +
  'start and change runs through the HR API or the CLI. Histories written before encryption need ' +
  'LIFECYCLE_ENCRYPTION=migrate.';
