import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_USER_AGENT, resolveClientConfig } from '../../staffbase/config';
import { DEFAULT_STAFFBASE_REQUEST_TIMEOUT_MS as DEFAULT_REQUEST_TIMEOUT_MS } from '../../config/defaults';
import { version } from '../../package.json';

const token = 'NWMxYjZhMmY5ZjFlMmEwMDAxYTFiMmMzOnNlY3JldA==';

describe('client configuration', () => {
  it('applies defaults and keeps the base URL as given (minus a trailing slash)', () => {
    const config = resolveClientConfig({ baseUrl: 'https://acme.staffbase.com/api/', token });
    assert.equal(config.baseUrl, 'https://acme.staffbase.com/api');
    assert.equal(config.token, token);
    assert.equal(config.userAgent, `staffbase-lifecycle/${version}`);
    assert.equal(DEFAULT_USER_AGENT, `staffbase-lifecycle/${version}`);
    assert.equal(config.requestTimeoutMs, DEFAULT_REQUEST_TIMEOUT_MS);
    assert.equal(DEFAULT_REQUEST_TIMEOUT_MS, 30_000);
  });

  it('refuses unusable values without echoing the token', () => {
    const bad = [
      { baseUrl: 'acme.staffbase.com/api', token },
      { baseUrl: 'ftp://acme.staffbase.com/api', token },
      { baseUrl: `https://user:${token}@acme.staffbase.com/api`, token },
      { baseUrl: 'https://acme.staffbase.com/api', token: '' },
      { baseUrl: 'https://acme.staffbase.com/api', token: `${token}\n` },
      { baseUrl: 'https://acme.staffbase.com/api', token, requestTimeoutMs: 0 },
      { baseUrl: 'https://acme.staffbase.com/api', token, connections: 1.5 },
    ];
    for (const config of bad) {
      assert.throws(
        () => resolveClientConfig(config),
        (error: unknown) => error instanceof TypeError && !error.message.includes(token),
        JSON.stringify(config.baseUrl),
      );
    }
  });
});
