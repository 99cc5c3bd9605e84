/**
 * Pre-bundles the workflow code for production: `tsx worker/bundle-workflows.ts [output file]`
 * (default dist/workflow-bundle.js). The worker loads it through WORKFLOW_BUNDLE_PATH and starts in
 * a moment, instead of running webpack over workflows/ at every start.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Logger, bundleWorkflowCode } from '@temporalio/worker';
import { failureConverterPath } from '../lifecycle/payload-codec/data-converter';
import { workflowInterceptorModules } from './interceptors/workflow-interceptor-modules';

export const defaultBundlePath = path.resolve(__dirname, '..', 'dist', 'workflow-bundle.js');

/** Bundles workflows/ into `outputFile` and returns its size in bytes. `logger`: the bundler's output. */
export async function bundleWorkflows(
  outputFile: string = defaultBundlePath,
  options: { logger?: Logger } = {},
): Promise<number> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    // Failures raised in workflow code carry their message encoded (and so encrypted) too.
    failureConverterPath,
    workflowInterceptorModules,
    ...(options.logger && { logger: options.logger }),
  });
  mkdirSync(path.dirname(outputFile), { recursive: true });
  writeFileSync(outputFile, code);
  return Buffer.byteLength(code);
}

if (require.main === module) {
  const outputFile = path.resolve(process.argv[2] ?? defaultBundlePath);
  bundleWorkflows(outputFile).then(
    (bytes) => console.log(`Workflow bundle written to ${outputFile} (${Math.round(bytes / 1024)} KiB)`),
    (error: unknown) => {
      console.error('Bundling the workflows failed:', error);
      process.exitCode = 1;
    },
  );
}
