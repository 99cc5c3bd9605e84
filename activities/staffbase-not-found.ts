import { StaffbaseNotFoundError } from '../staffbase/errors';

/**
 * The call's answer, or `notFound` when Staffbase answered 404: the one place activities turn a
 * missing user into an answer (a deletion or logout of someone gone is done, a read finds nothing).
 */
export async function orNotFound<T, F = T>(call: () => Promise<T>, notFound: F): Promise<T | F> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof StaffbaseNotFoundError) return notFound;
    throw error;
  }
}
