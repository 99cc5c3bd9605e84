#!/usr/bin/env node
// The `staffbase-lifecycle` executable (package.json "bin"). Runs the compiled CLI from .cache/cli/
// (compiled-cli.mjs: rebuilt first when any source changed since), else — when it cannot be compiled
// here (no esbuild, a read-only checkout) — the TypeScript source through tsx, which is slower.
import module, { createRequire } from 'node:module';
import path from 'node:path';
import process from 'node:process';
import { cacheDir, compileCli, freshCompiledCli } from './compiled-cli.mjs';

const require = createRequire(import.meta.url);
// Node 22.1+: V8 keeps the compiled code of every module it loads (zod, commander, the Temporal client)
// in the cache, keyed by the source's hash, so a later start skips compiling them. Absent on Node 20.
module.enableCompileCache?.(path.join(cacheDir, 'v8'));
let compiled = freshCompiledCli();
if (!compiled) {
  try {
    compiled = await compileCli();
  } catch (error) {
    process.stderr.write(
      `staffbase-lifecycle: could not compile the CLI (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); running it through tsx (slower)\n`,
    );
  }
}
let cli;
if (compiled) {
  cli = require(compiled);
} else {
  require('tsx/cjs');
  cli = require('./main.ts');
}
await cli.main();
