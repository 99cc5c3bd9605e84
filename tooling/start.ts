/**
 * `npm start`: the embedded stack on its defaults. Today it runs the Temporal dev server with its
 * Web UI, state persisted under .data/; the simulator, worker and HR API join it as they are built.
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { projectRoot, resolveTemporalBinary } from './temporal-binaries';

const dataDir = path.join(projectRoot, '.data');
mkdirSync(dataDir, { recursive: true });

const temporal = spawn(
  resolveTemporalBinary('cli'),
  [
    'server',
    'start-dev',
    '--db-filename',
    path.join(dataDir, 'temporal.sqlite'),
    '--ip',
    '127.0.0.1',
    '--port',
    '7233',
    '--ui-port',
    '8233',
    '--log-level',
    'warn',
  ],
  { stdio: 'inherit' },
);
console.log('Temporal dev server on 127.0.0.1:7233, Web UI on http://127.0.0.1:8233 (Ctrl-C stops it)');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => temporal.kill(signal));
}
temporal.on('exit', (code) => process.exit(code ?? 0));
