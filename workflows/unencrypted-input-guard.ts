/**
 * The workflow side of the strict payload codec (lifecycle/payload-codec/unencrypted-payload.ts):
 * input that reached the run unencrypted arrives as a stand-in, and is refused here with the named
 * failure `UnencryptedPayloadRefused` — a run started that way fails at once (an ApplicationFailure
 * from the run, not a workflow task the server would retry forever); such an update or query fails;
 * such a signal is dropped, so nobody who can only reach Temporal can steer or stop a run with one.
 */
import { ApplicationFailure, log, type WorkflowInterceptorsFactory } from '@temporalio/workflow';
import {
  UNENCRYPTED_PAYLOAD_FAILURE,
  isUnencryptedPayloadStandIn,
  unencryptedPayloadMessage,
} from '../lifecycle/payload-codec/unencrypted-payload';

const hasStandIn = (args: readonly unknown[]): boolean => args.some(isUnencryptedPayloadStandIn);

function refusal(what: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: UNENCRYPTED_PAYLOAD_FAILURE,
    message: unencryptedPayloadMessage(what),
    nonRetryable: true,
  });
}

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [
    {
      execute(input, next) {
        if (hasStandIn(input.args)) return Promise.reject(refusal("The run's input"));
        return next(input);
      },
      validateUpdate(input, next) {
        if (hasStandIn(input.args)) throw refusal(`The input of update ${input.name}`);
        next(input);
      },
      handleUpdate(input, next) {
        if (hasStandIn(input.args)) return Promise.reject(refusal(`The input of update ${input.name}`));
        return next(input);
      },
      handleSignal(input, next) {
        if (hasStandIn(input.args)) {
          log.warn('An unencrypted signal was dropped', { signal: input.signalName });
          return Promise.resolve();
        }
        return next(input);
      },
      handleQuery(input, next) {
        if (hasStandIn(input.args)) return Promise.reject(refusal(`The input of query ${input.queryName}`));
        return next(input);
      },
    },
  ],
});
