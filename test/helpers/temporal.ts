import { SearchAttributeType } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Runtime, bundleWorkflowCode, type WorkflowBundle } from '@temporalio/worker';
import { failureConverterPath } from '../../lifecycle/payload-codec/data-converter';
import {
  type LifecycleSearchAttributeKey,
  lifecycleSearchAttributes,
} from '../../lifecycle/search-attributes';
import { temporalExecutable } from '../../tooling/temporal-binaries';
import { workflowInterceptorModules } from '../../worker/interceptors/workflow-interceptor-modules';
import { testDataConverter } from './encryption';
import { sharedBundleCode } from './shared-bundles';
import { testRuntimeLogger } from './test-logger';

// Worker chatter is noise in test output; errors still show (and everything goes to the log capture).
Runtime.install({
  logger: testRuntimeLogger(),
  // Native logs go straight to the console (forwarding them would keep a failed test process alive).
  telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } },
});

/**
 * Real Temporal servers for tests, started from the binaries the project installs (never downloaded).
 * Every environment is torn down by the caller's `after` hook; `withTeardown` makes that safe to call twice.
 * Their clients encrypt like production (test/helpers/encryption.ts).
 */
export async function startTimeSkippingEnvironment(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: temporalExecutable('test-server') },
    client: { dataConverter: testDataConverter },
  });
  // The time-skipping server takes custom search attributes only through the operator service.
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(
      lifecycleSearchAttributes.map((key) => [key.name, indexedValueTypeOf(key)]),
    ),
  });
  return env;
}

const indexed = temporal.api.enums.v1.IndexedValueType;

/** The operator service's name for a search attribute's type. */
function indexedValueTypeOf(key: LifecycleSearchAttributeKey): temporal.api.enums.v1.IndexedValueType {
  switch (key.type) {
    case SearchAttributeType.KEYWORD:
      return indexed.INDEXED_VALUE_TYPE_KEYWORD;
    case SearchAttributeType.BOOL:
      return indexed.INDEXED_VALUE_TYPE_BOOL;
  }
}

/** `extraArgs`: more `temporal server start-dev` arguments, e.g. tooling/dev-server.ts priorityLaneArgs(). */
export async function startDevServerEnvironment(extraArgs: string[] = []): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    client: { dataConverter: testDataConverter },
    server: {
      executable: temporalExecutable('cli'),
      ip: '127.0.0.1',
      ui: false,
      searchAttributes: lifecycleSearchAttributes,
      extraArgs: ['--log-level', 'error', ...extraArgs],
    },
  });
}

const bundles = new Map<string, Promise<WorkflowBundle>>();

/**
 * Bundles workflow code once per test process, and once per `npm test` run where the runner shares
 * bundles between its processes (helpers/shared-bundles.ts): bundling costs seconds, tests start many
 * workers. With the production bundle's interceptor modules unless `interceptorModules` says otherwise.
 */
export function workflowBundle(
  workflowsPath: string,
  { interceptorModules = workflowInterceptorModules }: { interceptorModules?: string[] } = {},
): Promise<WorkflowBundle> {
  const key = JSON.stringify([workflowsPath, interceptorModules]);
  let bundle = bundles.get(key);
  if (!bundle) {
    const build = async () => {
      const { code } = await bundleWorkflowCode({
        workflowsPath,
        failureConverterPath,
        workflowInterceptorModules: interceptorModules,
        logger: quietBundlerLogger,
      });
      return code;
    };
    bundle = sharedBundleCode(key, build).then((code) => ({ code }));
    bundles.set(key, bundle);
  }
  return bundle;
}

const noop = (): void => undefined;
const quietBundlerLogger = {
  log: noop,
  trace: noop,
  debug: noop,
  info: noop,
  warn: noop,
  error: (message: string, meta?: Record<string, unknown>) => console.error(message, meta ?? ''),
};
