import { StaffbaseClient } from '../../activities/staffbase/client';
import { type StaffbaseConfig, type StaffbaseConnection } from '../../lifecycle/config/staffbase-config';
import { type OnboardingPolicy } from '../../lifecycle/onboarding-request';
import { type ParsedImport } from './parse-import';
import { type PreflightResult, preflight } from './preflight';
import { createRequestPacer } from './request-pacer';
import { readStaffbaseDirectory } from './staffbase-directory';

export interface PreflightTarget extends Pick<StaffbaseConfig, 'requestsPerSecond' | 'requestTimeoutMs'> {
  connection: StaffbaseConnection;
}

/**
 * The preflight against a configured tenant: reads its accounts at no more than
 * STAFFBASE_REQUESTS_PER_SECOND, then checks the rows. The client is closed afterwards either way.
 */
export async function runPreflight(
  parsed: ParsedImport,
  target: PreflightTarget,
  policy: Pick<OnboardingPolicy, 'rehirePolicy'>,
  onPage?: (pagesRead: number, pagesTotal: number) => void,
): Promise<PreflightResult> {
  const client = new StaffbaseClient({
    baseUrl: target.connection.baseUrl,
    token: target.connection.token,
    requestTimeoutMs: target.requestTimeoutMs,
  });
  try {
    const directory = await readStaffbaseDirectory(client, {
      pacer: createRequestPacer(target.requestsPerSecond),
      ...(onPage && { onPage }),
    });
    return preflight(parsed, directory, policy);
  } finally {
    await client.close();
  }
}
