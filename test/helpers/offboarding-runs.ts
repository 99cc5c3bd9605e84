/** What the offboarding workflow tests share: a seeded leaver, and a run's status and stage by workflow id. */
import type { Client } from '@temporalio/client';
import type { SimulatorControl } from '../../simulator/control-client';
import { offboardingStatusQuery, type OffboardingStatus } from '../../workflows/offboarding-messages';
import { uniqueSuffix } from './people';
import { waitFor } from './waiting';

/** An activated employee (`leaver-<suffix>`) with open sessions, seeded in the simulator. */
export async function seedLeaver(
  control: SimulatorControl,
  { sessions, activated }: { sessions: number; activated?: string },
): Promise<{ externalID: string; id: string }> {
  const id = uniqueSuffix();
  const externalID = `leaver-${id}`;
  const user = await control.seedUser({
    externalID,
    userName: `leaver.${id}`,
    emails: [{ value: `leaver.${id}@example.test`, primary: true }],
    status: 'activated',
    ...(activated !== undefined && { activated }),
    sessions,
  });
  return { externalID, id: user.id };
}

/** A run's handle, its status and a wait for a stage (`stageTimeoutMs` as `waitFor`'s default unless given). */
export function offboardingRunProbes(client: () => Client, stageTimeoutMs?: number) {
  const handleOf = (workflowId: string) => client().workflow.getHandle(workflowId);
  const statusOf = (workflowId: string) => handleOf(workflowId).query(offboardingStatusQuery);
  const awaitStage = (workflowId: string, stage: OffboardingStatus['stage']) =>
    waitFor(
      () => statusOf(workflowId),
      (status) => status.stage === stage,
      { what: `stage ${stage}`, ...(stageTimeoutMs !== undefined && { timeoutMs: stageTimeoutMs }) },
    );
  return { handleOf, statusOf, awaitStage };
}
