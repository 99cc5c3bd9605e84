/**
 * `staffbase-lifecycle doctor`: checks the configured tenant (the same STAFFBASE_* settings the
 * worker uses) against what the project expects, and says for each check what the project does
 * about it. Read-only unless `write` is set.
 */
import { StaffbaseClient } from '../../staffbase/client';
import { staffbaseConfigFromEnv } from '../../config/staffbase';
import { DoctorProbe } from './probe';
import { readChecks } from './read-checks';
import { type DoctorCheck, type DoctorReport, buildReport, check } from './report';
import { throwawayExternalId, writeChecks } from './write-checks';
import { encodingCheck } from './encoding-checks';
import { burstCheck } from './burst';
import { webhookSetup } from './webhook';

export interface DoctorOptions {
  write: boolean;
  /** Overrides the throwaway externalID (tests); default `doctor-<random>`. */
  externalID?: string;
  /** `--group <id>`: the group the membership write is tried on (with `write`). */
  groupId?: string;
  /** `--webhook-base-url`: the public address of the events endpoint's listener. */
  webhookBaseUrl?: string;
}

const quietLogger = { info: () => undefined, warn: () => undefined };

export async function runDoctor(env: NodeJS.ProcessEnv, options: DoctorOptions): Promise<DoctorReport> {
  // Throws a ConfigError naming every bad or missing variable (exit code 2); never echoes the token.
  const config = staffbaseConfigFromEnv(env, { requireConnection: true });
  const connection = config.connection;
  if (!connection) throw new Error('unreachable: requireConnection guarantees a connection');
  const target = {
    baseUrl: connection.baseUrl,
    token: connection.token,
    requestTimeoutMs: config.requestTimeoutMs,
  };
  // The checks after the encoding probe send filters as the tenant is configured to.
  const probe = new DoctorProbe({ ...target, filterSpaceEncoding: config.filterSpaceEncoding });
  // The doctor reports the look-up mode itself, so the client's own log line is not needed here.
  const profileModel = { placement: config.profilePlacement, update: config.profileUpdate };
  const client = new StaffbaseClient({
    ...target,
    logger: quietLogger,
    profilePlacement: profileModel.placement,
    profileUpdate: profileModel.update,
  });
  const externalID = options.write ? (options.externalID ?? throwawayExternalId()) : undefined;
  const checks: DoctorCheck[] = [];
  try {
    const read = await readChecks(probe, options.write);
    checks.push(...read.checks);
    if (read.reachable) {
      checks.push(await encodingCheck(target));
      checks.push(await burstCheck(probe, config.requestsPerSecond));
    }
    if (!read.reachable) {
      checks.push(
        check(
          'write',
          'write checks',
          'skipped',
          'the tenant could not be read',
          'fix the failed check first',
        ),
      );
    } else if (externalID === undefined) {
      for (const status of ['pending', 'deactivated']) {
        checks.push(
          check(
            `externalid-${status}`,
            `look-up by externalID includes ${status} users`,
            'skipped',
            'needs a throwaway user',
            'run the doctor with --write',
          ),
        );
      }
    } else {
      const userShapeChecked = checks.some((entry) => entry.id === 'user-role');
      checks.push(
        ...(await writeChecks(
          {
            probe,
            client,
            externalIdFilterRefused: read.externalIdFilterRefused,
            userShapeChecked,
            ...(options.groupId !== undefined && { groupId: options.groupId }),
            profileModel,
          },
          externalID,
        )),
      );
    }
  } finally {
    await Promise.allSettled([probe.close(), client.close()]);
  }
  return buildReport(
    {
      baseUrl: connection.baseUrl,
      userAgent: probe.userAgent,
      write: options.write,
      throwawayExternalID: externalID,
      webhook: webhookSetup(env, options.webhookBaseUrl),
    },
    checks,
  );
}
