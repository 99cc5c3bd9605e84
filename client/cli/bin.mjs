#!/usr/bin/env node
// The `staffbase-lifecycle` executable (package.json "bin"). Runs the compiled CLI when it sits next to
// this file (dist/client/cli/main.js), else the TypeScript source through tsx.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { URL, fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = fileURLToPath(new URL('.', import.meta.url));
let cli;
if (existsSync(`${here}main.js`)) {
  cli = require('./main.js');
} else {
  require('tsx/cjs');
  cli = require('./main.ts');
}
await cli.main();
