/**
 * Deleting the throwaway user, twice, and what a 404 to DELETE means on this tenant: Staffbase's
 * changelog says newer endpoints answer 404 when an action is *not permitted*, so a 404 is read as
 * "gone" only when a read of the user answers 404 too.
 */
import { type DoctorProbe, type ProbeAnswer, describeAnswer, userPath } from './probe';
import { type DoctorCheck, check } from './report';

const isSuccess = (status: number) => status >= 200 && status < 300;

/** Whether a read still finds the user (in any status but `deleted`). */
async function stillThere(
  probe: DoctorProbe,
  userId: string,
): Promise<{ there: boolean; read: ProbeAnswer }> {
  const read = await probe.send('GET', userPath(userId));
  const status = (read.json as { status?: unknown } | undefined)?.status;
  return { there: read.status === 200 && status !== 'deleted', read };
}

export async function deleteChecks(probe: DoctorProbe, userId: string): Promise<DoctorCheck[]> {
  const title404 = 'a 404 to DELETE: gone or not permitted';
  const deleted = await probe.send('DELETE', userPath(userId));
  const firstDeleteFailed = () =>
    check(
      'delete',
      'delete twice',
      'failed',
      `first ${describeAnswer(deleted)}`,
      'offboarding cannot delete accounts',
    );
  if (deleted.status === 404) {
    const after = await stillThere(probe, userId);
    return [
      firstDeleteFailed(),
      after.there
        ? check(
            'delete-404',
            title404,
            'failed',
            `DELETE → HTTP 404, but GET /users/{id} still finds the user: 404 means "not permitted" here`,
            'give the token the right to delete users; a DELETE answered 404 is confirmed by a read before it counts as gone',
            { details: { delete: 404, read: after.read.status } },
          )
        : check(
            'delete-404',
            title404,
            'failed',
            `DELETE → HTTP 404 for a user just created, and a read answers ${describeAnswer(after.read)}`,
            'report this tenant answer',
            { details: { delete: 404, read: after.read.status } },
          ),
    ];
  }
  if (!isSuccess(deleted.status)) {
    return [firstDeleteFailed()];
  }
  const again = await probe.send('DELETE', userPath(userId));
  const checks = [
    again.status === 404
      ? check(
          'delete',
          'delete twice',
          'ok',
          `HTTP ${deleted.status}, then HTTP 404`,
          'a repeated delete is harmless',
        )
      : check(
          'delete',
          'delete twice',
          'differs',
          `HTTP ${deleted.status}, then ${describeAnswer(again)}`,
          isSuccess(again.status)
            ? 'a repeated delete counts as done either way'
            : 'a retried delete after a lost answer fails: report this',
        ),
  ];
  if (again.status === 404) {
    const after = await stillThere(probe, userId);
    checks.push(
      after.there
        ? check(
            'delete-404',
            title404,
            'failed',
            'the second DELETE → HTTP 404 while GET /users/{id} still finds the user',
            'a DELETE answered 404 is confirmed by a read; here it would park as not-permitted',
            { details: { delete: 404, read: after.read.status } },
          )
        : check(
            'delete-404',
            title404,
            'ok',
            `after the delete, DELETE → HTTP 404 and GET /users/{id} → HTTP ${after.read.status}: gone`,
            'a DELETE answered 404 counts as gone once a read confirms it',
            { details: { delete: 404, read: after.read.status } },
          ),
    );
  }
  return checks;
}
