/**
 * The doctor's findings that need a tenant behaving badly (the simulator's faults and rate limit):
 * a DELETE answered 404 while the user is still there ("not permitted"), a burst that meets 429s;
 * and the CLI's options: --write-config on an env file with comments, --group without --write, the
 * webhook secret only on request and never in --json.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { burstCheck } from '../../../client/doctor/burst';
import { DoctorProbe } from '../../../client/doctor/probe';
import { type DoctorReport } from '../../../client/doctor/report';
import { mergeEnvText } from '../../../client/doctor/write-config';
import { type SimulatorControl } from '../../../simulator/control-client';
import { type RunningSimulator } from '../../../simulator/server';
import { startTestSimulator } from '../../helpers/simulator';
import { cliInProcess } from '../cli/run-cli';

const doctor = (args: string[], env: Record<string, string>) => cliInProcess(['doctor', ...args], env);

describe('doctor findings against a misbehaving tenant, and its options', () => {
  let simulator: RunningSimulator;
  let control: SimulatorControl;
  let env: Record<string, string>;
  let dir: string;

  before(async () => {
    const started = await startTestSimulator();
    ({ simulator, control } = started);
    env = {
      STAFFBASE_BASE_URL: simulator.apiUrl,
      STAFFBASE_API_TOKEN: started.token,
      STAFFBASE_REQUESTS_PER_SECOND: '200',
    };
    dir = await mkdtemp(path.join(tmpdir(), 'doctor-'));
  });
  after(async () => {
    await simulator.close();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await control.reset();
    await control.setFaults([]);
    await control.setRateLimit(null);
  });

  it('a DELETE answered 404 while a read still finds the user is "not permitted", and fails the run', async () => {
    await control.setFaults([{ route: 'DELETE /users/:id', errorRate: 1, errorStatus: 404 }]);
    const run = await doctor(['--write', '--json'], env);
    assert.equal(run.code, 7, run.stdout + run.stderr);
    const report = JSON.parse(run.stdout) as DoctorReport;
    const byId = Object.fromEntries(report.checks.map((entry) => [entry.id, entry]));
    assert.equal(byId.delete?.verdict, 'failed');
    assert.equal(byId['delete-404']?.verdict, 'failed');
    assert.match(byId['delete-404']?.found ?? '', /not permitted/);
    assert.deepEqual(byId['delete-404']?.details, { delete: 404, read: 200 });
    // The clean-up could not delete either, and says so, naming the externalID to delete by hand.
    assert.equal(byId.cleanup?.verdict, 'failed');
    assert.match(byId.cleanup?.found ?? '', new RegExp(report.throwawayExternalID ?? '?'));
    await control.setFaults([]);
    await control.deleteByHand(report.throwawayExternalID ?? '');
  });

  it('the burst records 429s, their Retry-After and the rate-limit headers, at most 20 GETs', async () => {
    // 5 requests in the bucket, refilled at 0.5/s: 20 GETs at 200/s meet 429s however slow the machine.
    await control.setRateLimit({ requestsPerSecond: 0.5, burst: 5, retryAfter: 'seconds' });
    const probe = new DoctorProbe({
      baseUrl: simulator.apiUrl,
      token: env.STAFFBASE_API_TOKEN ?? '',
      requestTimeoutMs: 10_000,
    });
    try {
      const finding = await burstCheck(probe, 200, 50);
      const details = finding.details as {
        requests: number;
        statuses: Record<string, number>;
        retryAfter: string[];
        rateHeaders: Record<string, string[]>;
      };
      assert.equal(finding.verdict, 'differs');
      assert.equal(details.requests, 20, 'never more than 20 GETs');
      assert.equal((details.statuses['200'] ?? 0) + (details.statuses['429'] ?? 0), 20);
      assert.ok((details.statuses['429'] ?? 0) >= 1, JSON.stringify(details.statuses));
      assert.equal(details.retryAfter.length, details.statuses['429']);
      for (const value of details.retryAfter) assert.match(value, /^\d+$/);
      assert.ok(Array.isArray(details.rateHeaders['retry-after']), JSON.stringify(details.rateHeaders));
      const sent = (await control.log()).filter((call) => call.routeKey === 'GET /users');
      assert.equal(sent.length, 20);
    } finally {
      await probe.close();
    }
  });

  it('--write-config merges the detected settings into an env file, keeping comments and order', async () => {
    const file = path.join(dir, 'merge.env');
    const before = [
      '# my tenant',
      'STAFFBASE_BASE_URL=https://acme.staffbase.com/api',
      'STAFFBASE_LOOKUP_MODE=auto # set by hand',
      '# How a space goes on the wire',
      '# STAFFBASE_FILTER_SPACE_ENCODING=%20',
      'LOG_LEVEL=info',
      '',
    ].join('\n');
    await writeFile(file, before);
    const run = await doctor(['--write-config', file], env);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal(
      await readFile(file, 'utf8'),
      [
        '# my tenant',
        'STAFFBASE_BASE_URL=https://acme.staffbase.com/api',
        'STAFFBASE_LOOKUP_MODE=filter # set by hand',
        '# How a space goes on the wire',
        '# STAFFBASE_FILTER_SPACE_ENCODING=%20',
        'STAFFBASE_FILTER_SPACE_ENCODING=%20',
        'LOG_LEVEL=info',
        '',
      ].join('\n'),
    );
    assert.match(run.stdout, /merge\.env: STAFFBASE_LOOKUP_MODE=filter \(was auto\)/);
    assert.match(run.stdout, /merge\.env: STAFFBASE_FILTER_SPACE_ENCODING=%20 \(added\)/);
    assert.ok(
      !(await readFile(file, 'utf8')).includes(env.STAFFBASE_API_TOKEN ?? '?'),
      'never writes the token',
    );

    // Again: nothing changes, and --json reports the changes beside the report.
    const again = await doctor(['--json', '--write-config', file], env);
    const report = JSON.parse(again.stdout) as DoctorReport & {
      configWritten: { changes: { how: string }[] };
    };
    assert.deepEqual(
      report.configWritten.changes.map((change) => change.how),
      ['unchanged', 'unchanged'],
    );
  });

  it('--write-config never writes a secret or a variable off its allow-list', () => {
    assert.throws(
      () => mergeEnvText('', [{ variable: 'STAFFBASE_API_TOKEN', value: 'abc' }]),
      /STAFFBASE_API_TOKEN: the doctor never writes a secret/,
    );
    assert.throws(
      () => mergeEnvText('', [{ variable: 'LOG_LEVEL', value: 'debug' }]),
      /LOG_LEVEL: not a setting the doctor writes/,
    );
    assert.throws(
      () => mergeEnvText('', [{ variable: 'STAFFBASE_LOOKUP_MODE', value: 'x\nSTAFFBASE_API_TOKEN=y' }]),
      /refusing to write/,
    );
    assert.deepEqual(mergeEnvText('', [{ variable: 'STAFFBASE_PROFILE_PLACEMENT', value: 'top-level' }]), {
      text: 'STAFFBASE_PROFILE_PLACEMENT=top-level\n',
      changes: [{ variable: 'STAFFBASE_PROFILE_PLACEMENT', from: undefined, to: 'top-level', how: 'added' }],
    });
  });

  it('--group needs --write: an input error naming the flag, nothing sent', async () => {
    const run = await doctor(['--group', 'g1'], env);
    assert.equal(run.code, 2);
    assert.match(run.stdout + run.stderr, /--group/);
    assert.deepEqual(await control.log(), []);
  });

  it('the webhook secret only with --show-webhook-secret, never in --json', async () => {
    const secret = 'whsec-test-0123456789';
    const withSecret = { ...env, STAFFBASE_WEBHOOK_SECRET: secret, STAFFBASE_EVENTS_PORT: '8099' };
    const plain = await doctor([], withSecret);
    assert.match(plain.stdout, /Webhook for Studio: http:\/\/127\.0\.0\.1:8099\/v1\/staffbase\/events/);
    assert.match(plain.stdout, /STAFFBASE_WEBHOOK_SECRET is set/);
    assert.ok(!plain.stdout.includes(secret));
    const shown = await doctor(
      ['--show-webhook-secret', '--webhook-base-url', 'https://hr.example.com'],
      withSecret,
    );
    assert.ok(shown.stdout.includes(`secret for Studio: ${secret}`));
    assert.match(shown.stdout, /Webhook for Studio: https:\/\/hr\.example\.com\/v1\/staffbase\/events/);
    const json = await doctor(['--json', '--show-webhook-secret'], withSecret);
    assert.ok(!json.stdout.includes(secret), 'never in --json');
    assert.deepEqual((JSON.parse(json.stdout) as DoctorReport).webhook, {
      url: 'http://127.0.0.1:8099/v1/staffbase/events',
      secretSet: true,
      secretHeader: 'Authorization: Bearer <secret>',
    });
  });
});
