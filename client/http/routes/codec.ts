/**
 * The remote codec endpoint of the Temporal UI and CLI (Temporal's codec server protocol): `POST
 * /codec/decode` and `POST /codec/encode` take `{ payloads: [{ metadata: { key: base64 }, data: base64 }] }`
 * and answer the same shape, run through the HR API's payload codecs (the encryption codec). The
 * UI is configured with the endpoint `<HR API>/codec` and appends `/decode`.
 *
 * Decoding reveals any payload of the namespace, so it needs the support key; browsers are allowed
 * only from the configured UI origin (codec-cors.ts).
 */
import { type Payload } from '@temporalio/common';
import { z } from 'zod';
import { ApiError } from '../errors';
import { type ApiRoute, type RouteContext, type RouteResult, parseRequest } from '../route-spec';

const base64 = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'must be base64');

const jsonPayloadSchema = z.object({
  metadata: z.record(z.string(), base64).optional(),
  data: base64.optional(),
});

/** At most this many payloads per call: one history page holds far fewer. */
const MAX_PAYLOADS = 1_000;
/** A page of encrypted history payloads is larger than any HR request (64 KiB). */
const CODEC_BODY_LIMIT = 4 * 1024 * 1024;

export const codecBodySchema = z.object({
  payloads: z.array(jsonPayloadSchema).max(MAX_PAYLOADS),
});

type JsonPayload = z.infer<typeof jsonPayloadSchema>;

const fromBase64 = (value: string): Uint8Array => Buffer.from(value, 'base64');
const toBase64 = (value: Uint8Array | null | undefined): string =>
  Buffer.from(value ?? []).toString('base64');

function fromJson(payload: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(
      Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, fromBase64(value)]),
    ),
    data: fromBase64(payload.data ?? ''),
  };
}

function toJson(payload: Payload): JsonPayload {
  return {
    metadata: Object.fromEntries(
      Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, toBase64(value)]),
    ),
    data: toBase64(payload.data),
  };
}

async function runCodecs(context: RouteContext, direction: 'encode' | 'decode'): Promise<RouteResult> {
  const { body } = parseRequest({ body: [codecBodySchema, context.body ?? {}] });
  let payloads = body.payloads.map(fromJson);
  const codecs = context.deps.payloadCodecs;
  try {
    // Encoded in the order of the array, decoded in the opposite order (as the SDK does).
    for (const codec of direction === 'encode' ? codecs : [...codecs].reverse()) {
      payloads = await codec[direction](payloads);
    }
  } catch (error) {
    // A payload this key ring cannot open (an unknown key id, altered data): say so, without content.
    throw new ApiError(400, 'invalid_request', error instanceof Error ? error.message : 'cannot decode', {
      problems: [{ field: 'payloads', message: `cannot be ${direction}d with this service's keys` }],
    });
  }
  return { statusCode: 200, body: { payloads: payloads.map(toJson) } };
}

const codecResponses = (what: string) => ({
  200: { description: `The payloads, ${what}, in the same order.` },
  400: { description: 'Not a codec request, or a payload this service cannot open.', schema: 'Error' },
  403: {
    description: 'The HR systems’ key (`error: forbidden`), or a browser origin other than the UI’s.',
    schema: 'Error',
  },
});

export const codecRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/codec/decode',
    operationId: 'codecDecode',
    tag: 'codec',
    access: 'admin',
    bodyLimit: CODEC_BODY_LIMIT,
    summary: 'Decrypt payloads for the Temporal UI (remote codec protocol)',
    description:
      'Set the Temporal UI’s codec endpoint to `<this API>/codec`. Payloads this service did not encrypt ' +
      'pass through unchanged.',
    body: { schema: codecBodySchema, component: 'CodecPayloads', required: true },
    responses: codecResponses('decrypted'),
    handle: (context) => runCodecs(context, 'decode'),
  },
  {
    method: 'POST',
    path: '/codec/encode',
    operationId: 'codecEncode',
    tag: 'codec',
    access: 'admin',
    bodyLimit: CODEC_BODY_LIMIT,
    summary: 'Encrypt payloads (remote codec protocol), e.g. for a signal sent from the UI',
    body: { schema: codecBodySchema, component: 'CodecPayloads', required: true },
    responses: codecResponses('encrypted'),
    handle: (context) => runCodecs(context, 'encode'),
  },
];
