/** The urgent case: one person logged out by support, timed from the start to the answer. */
import { type Client } from '@temporalio/client';
import { startUserLogout } from '../client/support-runs';
import { type SimulatorControl } from '../simulator/control-client';
import type { userLogout } from '../workflows/support-single';

let seeded = 0;

export async function urgentLogoutSeconds(client: Client, control: SimulatorControl): Promise<number> {
  seeded += 1;
  const externalID = `bench-leaver-${Date.now()}-${seeded}`;
  await control.seedUser({
    externalID,
    userName: externalID,
    emails: [{ value: `${externalID}@example.test`, primary: true }],
    status: 'activated',
    sessions: 1,
  });
  const startedAt = Date.now();
  const run = await startUserLogout(client, { externalID });
  const outcome = await client.workflow.getHandle<typeof userLogout>(run.workflowId).result();
  if (outcome.result !== 'logged-out') throw new Error(`urgent logout ended ${outcome.result}`);
  return (Date.now() - startedAt) / 1000;
}
