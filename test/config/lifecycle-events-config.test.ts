/**
 * LIFECYCLE_EVENT_SUBSCRIBERS and LIFECYCLE_EVENT_MAX_RETRY_HOURS (config/lifecycle-events.ts): inline
 * JSON or a file, each bad field named, secrets never echoed or enumerable, and the worker's
 * configuration carrying them; plus the signature a subscriber verifies (Standard Webhooks).
 */
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runInNewContext } from 'node:vm';
import {
  lifecycleEventsConfigFromEnv,
  parseEventSubscribers,
  subscriberIdOfUrl,
} from '../../config/lifecycle-events';
import { workerSecretValues } from '../../config/worker';
import { cloudEvent, signedWebhookHeaders, subscriberTakes } from '../../lifecycle/lifecycle-event-message';
import { configErrorOf } from '../helpers/config-errors';
import { verifyWebhook } from '../helpers/event-subscriber';

const secret = `whsec_${randomBytes(32).toString('base64')}`;
const subscribers = (list: unknown) => JSON.stringify(list);

describe('lifecycle event subscribers configuration', () => {
  it('is off when unset, empty or []', () => {
    assert.deepEqual(lifecycleEventsConfigFromEnv({}), { subscribers: [], maxRetryHours: 24 });
    assert.deepEqual(lifecycleEventsConfigFromEnv({ LIFECYCLE_EVENT_SUBSCRIBERS: '[]' }).subscribers, []);
  });

  it('reads inline JSON: defaults, an id from the URL, the secret out of sight', () => {
    const config = lifecycleEventsConfigFromEnv({
      LIFECYCLE_EVENT_SUBSCRIBERS: subscribers([
        { url: 'https://hr.example.test/hooks', secret },
        {
          id: 'siem',
          url: 'http://127.0.0.1:9000/x',
          secret,
          types: ['com.staffbase-lifecycle.*'],
          includePersonalData: true,
        },
      ]),
      LIFECYCLE_EVENT_MAX_RETRY_HOURS: '6',
    });
    assert.equal(config.maxRetryHours, 6);
    const [hr, siem] = config.subscribers;
    assert.deepEqual(
      { ...hr },
      {
        id: subscriberIdOfUrl('https://hr.example.test/hooks'),
        url: 'https://hr.example.test/hooks',
        types: undefined,
        includePersonalData: false,
      },
    );
    assert.equal(hr?.secret, secret);
    assert.ok(!JSON.stringify(config).includes(secret), 'the secret is not enumerable');
    assert.equal(siem?.id, 'siem');
    assert.equal(siem?.includePersonalData, true);
  });

  it('reads the list from a file path', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'event-subscribers-'));
    try {
      const file = path.join(dir, 'subscribers.json');
      writeFileSync(file, subscribers([{ url: 'https://itsm.example.test/in', secret }]));
      const config = lifecycleEventsConfigFromEnv({ LIFECYCLE_EVENT_SUBSCRIBERS: file });
      assert.equal(config.subscribers[0]?.url, 'https://itsm.example.test/in');
      const missing = configErrorOf(() =>
        lifecycleEventsConfigFromEnv({ LIFECYCLE_EVENT_SUBSCRIBERS: path.join(dir, 'nope.json') }),
      );
      assert.match(
        missing.message,
        /LIFECYCLE_EVENT_SUBSCRIBERS must be a JSON list of subscribers, or the path/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names every bad field, never echoing a secret', () => {
    const weak = 'whsec_c2hvcnQ=';
    const error = configErrorOf(() =>
      lifecycleEventsConfigFromEnv({
        LIFECYCLE_EVENT_SUBSCRIBERS: subscribers([
          { url: 'http://hr.example.test/hooks', secret },
          { url: 'https://ok.example.test', secret: weak, types: [], includePersonalData: 'yes', colour: 1 },
          { secret: 'plain-text-secret-value' },
          'not an object',
          { id: 'a b', url: 'https://user:pw@x.example.test', secret },
        ]),
        LIFECYCLE_EVENT_MAX_RETRY_HOURS: '0',
      }),
    );
    const messages = error.problems.map((problem) => `${problem.variable} ${problem.message}`);
    const expectAbout = (pattern: RegExp) =>
      assert.ok(
        messages.some((message) => pattern.test(message)),
        `a problem ${pattern}: ${messages.join(' | ')}`,
      );
    expectAbout(/^LIFECYCLE_EVENT_SUBSCRIBERS \[0\]\.url must use https:\/\//);
    expectAbout(/^LIFECYCLE_EVENT_SUBSCRIBERS \[1\]\.secret must be whsec_/);
    expectAbout(/^LIFECYCLE_EVENT_SUBSCRIBERS \[1\]\.types must be a non-empty list/);
    expectAbout(/^LIFECYCLE_EVENT_SUBSCRIBERS \[1\]\.includePersonalData must be true or false/);
    expectAbout(/^LIFECYCLE_EVENT_SUBSCRIBERS \[1\]\.colour is not a subscriber field/);
    expectAbout(/^LIFECYCLE_EVENT_SUBSCRIBERS \[2\]\.url is required/);
    expectAbout(/^LIFECYCLE_EVENT_SUBSCRIBERS \[2\]\.secret must be whsec_/);
    expectAbout(/^LIFECYCLE_EVENT_SUBSCRIBERS \[3\] must be an object/);
    expectAbout(/^LIFECYCLE_EVENT_SUBSCRIBERS \[4\]\.id must be/);
    expectAbout(/^LIFECYCLE_EVENT_SUBSCRIBERS \[4\]\.url must not carry credentials/);
    for (const value of [secret, weak, 'plain-text-secret-value', 'pw'])
      assert.ok(!error.message.includes(value), 'no secret in the message');
  });

  it('refuses invalid JSON, a non-list and two subscribers with one id', () => {
    assert.match(
      configErrorOf(() => parseEventSubscribers('[{"url": ')).message,
      /LIFECYCLE_EVENT_SUBSCRIBERS is not valid JSON/,
    );
    assert.match(
      configErrorOf(() => parseEventSubscribers(`{"url":"https://a.example.test","secret":"${secret}"}`))
        .message,
      /must be a JSON list/,
    );
    assert.match(
      configErrorOf(() =>
        parseEventSubscribers(
          subscribers([
            { url: 'https://a.example.test', secret },
            { url: 'https://a.example.test', secret },
          ]),
        ),
      ).message,
      /\[1\]\.id repeats another subscriber's/,
    );
  });

  it('the worker reads it, and redacts the subscribers’ secrets from its log', () => {
    const env = { LIFECYCLE_EVENT_SUBSCRIBERS: subscribers([{ url: 'https://a.example.test', secret }]) };
    assert.ok(workerSecretValues(env).includes(secret));
  });
});

describe('lifecycle event messages', () => {
  it('a subscriber’s types: exact, prefix with *, or all', () => {
    const type = 'com.staffbase-lifecycle.onboarding.activated';
    assert.ok(subscriberTakes(undefined, type));
    assert.ok(subscriberTakes(['com.staffbase-lifecycle.onboarding.*'], type));
    assert.ok(subscriberTakes([type], type));
    assert.ok(!subscriberTakes(['com.staffbase-lifecycle.offboarding.*'], type));
    assert.ok(!subscriberTakes(['com.staffbase-lifecycle.onboarding.activ'], type));
  });

  it('signs per Standard Webhooks: v1,<base64 HMAC-SHA256 of id.timestamp.body> with the decoded key', () => {
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    const body = JSON.stringify(
      cloudEvent({
        id: 'evt_1',
        lifecycle: 'onboarding',
        milestone: 'invited',
        externalID: 'emp-1',
        runId: 'run-1',
        sequence: 2,
        at: '2026-12-07T10:00:00.000Z',
      }),
    );
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = signedWebhookHeaders(key, 'evt_1', timestamp, body);
    const expected = createHmac('sha256', key).update(`evt_1.${timestamp}.${body}`).digest('base64');
    assert.equal(headers['webhook-signature'], `v1,${expected}`);
    assert.equal(verifyWebhook(secret, headers, body), undefined);
    assert.equal(verifyWebhook(secret, headers, body.replace('emp-1', 'emp-2')), 'bad signature');
    const parsed = JSON.parse(body) as { type: string; data: Record<string, unknown> };
    assert.equal(parsed.type, 'com.staffbase-lifecycle.onboarding.invited');
    assert.deepEqual(Object.keys(parsed.data).sort(), [
      'externalID',
      'lifecycle',
      'milestone',
      'runId',
      'sequence',
    ]);
  });

  it('docs/events.md’s verification example accepts a signed message and refuses a changed one', () => {
    const docs = readFileSync(path.resolve(__dirname, '..', '..', 'docs', 'events.md'), 'utf8');
    const code = /```js\n([\s\S]*?)```/.exec(docs)?.[1];
    assert.ok(code, 'the example is there');
    // The example as a subscriber would paste it: run on its own, with only Node's require.
    const verify = runInNewContext(`${code}\nverify;`, { require, Buffer, Date, Math, Number }) as (
      secret: string,
      headers: Record<string, string>,
      rawBody: string,
    ) => boolean;
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    const body = '{"id":"evt_2"}';
    const headers = signedWebhookHeaders(key, 'evt_2', Math.floor(Date.now() / 1000), body);
    assert.equal(verify(secret, headers, body), true);
    assert.equal(verify(secret, headers, '{"id":"evt_3"}'), false);
    assert.equal(verify(`whsec_${randomBytes(32).toString('base64')}`, headers, body), false);
  });
});
