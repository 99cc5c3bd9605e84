/**
 * Builds the HR console (client/console/) into static assets the HR API serves at `/`: one bundled
 * ES module (`app.js`, with the shared zod schemas of lifecycle/ inside, so the forms validate by the
 * same rules as the API), the stylesheet and index.html. esbuild, because tsx already brings it: no
 * framework, no new dependency, and a build that takes well under a second, so `npm start` runs it
 * every time. `tsx tooling/build-console.ts [outDir]` (default dist/console).
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Plugin, build } from 'esbuild';

const consoleRoot = path.resolve(__dirname, '..', 'client', 'console');

/** Where the HR API looks for the assets by default (client/http/console-assets.ts): git-, lint- and format-ignored. */
export const defaultConsoleOutDir = path.resolve(__dirname, '..', 'dist', 'console');

/**
 * zod re-exports every translation of its messages (`z.locales`, some 260 KB); the console uses the
 * English messages the schemas spell out, so the namespace is cut down to English only.
 */
const englishZodMessagesOnly: Plugin = {
  name: 'english-zod-messages-only',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${path.sep}zod${path.sep}`)
        ? { path: 'zod-locales-en', namespace: 'zod-locales' }
        : undefined,
    );
    pluginBuild.onLoad({ filter: /.*/, namespace: 'zod-locales' }, () => ({
      contents: "export { default as en } from 'zod/v4/locales/en.js';",
      resolveDir: consoleRoot,
      loader: 'js',
    }));
  },
};

export async function buildConsole(outDir: string = defaultConsoleOutDir): Promise<string> {
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [path.join(consoleRoot, 'src', 'main.ts')],
    outfile: path.join(outDir, 'app.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    // Browsers of the last few years; nothing here needs a polyfill.
    target: ['es2022'],
    minify: true,
    sourcemap: true,
    legalComments: 'none',
    logLevel: 'warning',
    tsconfig: path.join(consoleRoot, 'tsconfig.json'),
    plugins: [englishZodMessagesOnly],
  });
  for (const file of ['index.html', 'console.css']) {
    copyFileSync(path.join(consoleRoot, file), path.join(outDir, file));
  }
  return outDir;
}

if (require.main === module) {
  const outDir = process.argv[2] ? path.resolve(process.argv[2]) : defaultConsoleOutDir;
  buildConsole(outDir).then(
    (dir) => console.log(`HR console built into ${path.relative(process.cwd(), dir) || dir}`),
    (error: unknown) => {
      console.error('build-console failed:', error);
      process.exit(1);
    },
  );
}
