// The CLI as compiled JavaScript in a cache directory (.cache/cli/), so `staffbase-lifecycle` starts
// without compiling TypeScript each time (tsx: ~2 s; compiled: a bare node's start plus what the command
// loads). Plain JavaScript: it must run before anything can compile TypeScript.
//
// The sources are exactly the files the image compiles: tsconfig.build.json as TypeScript reads it
// (include, exclude, extends), so a folder added there (or moved) is compiled here too. Each becomes
// one CommonJS file at the same relative path, as `tsc --outDir` lays them out, so
// `require.resolve('./failure-converter')`, `../../package.json` and each command's lazy `import()`
// behave as in the sources. esbuild only strips types (no type check: `npm run typecheck` does that).
//
// Never stale: the build records the mtime and size of every file it compiled, of their folders and of
// the inputs below; the bin stats them at each start (a few hundred stats, a few milliseconds) and
// rebuilds when one differs, appeared, went, or was written during the build. Rebuild rather than fall
// back to tsx: a rebuild costs about a second once, tsx costs ~2 s on every start until something
// rebuilds.
import {
  copyFileSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import process from 'node:process';
import { URL, fileURLToPath, pathToFileURL } from 'node:url';

export const projectRoot = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
export const cacheDir = path.join(projectRoot, '.cache', 'cli');
const manifestPath = path.join(cacheDir, 'manifest.json');
const buildConfig = 'tsconfig.build.json';
/** Read besides the sources: package.json (imported for its version), compiler settings, this builder. */
const otherInputs = [
  'package.json',
  'tsconfig.json',
  buildConfig,
  path.relative(projectRoot, fileURLToPath(import.meta.url)),
];
/**
 * Builds older than this are removed at the next build; younger ones may still be in use by a running
 * CLI's lazy imports (a command imports what it needs when its action starts, so an hour is ample).
 */
const oldBuildMs = 60 * 60 * 1000;

function stamp(relativePath) {
  const stat = statSync(path.join(projectRoot, relativePath), { throwIfNoEntry: false });
  return stat ? `${stat.mtimeMs}:${stat.size}` : undefined;
}

/**
 * The .ts sources of tsconfig.build.json (relative to the project root) and every folder that holds
 * them, up to the project root: a file added to or removed from one changes the folder's stamp.
 */
function sourceTree(typescript) {
  const ts = typescript.default ?? typescript;
  const parsed = ts.getParsedCommandLineOfConfigFile(
    path.join(projectRoot, buildConfig),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(`${buildConfig}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
      },
    },
  );
  if (!parsed) throw new Error(`${buildConfig} could not be read`);
  const sources = parsed.fileNames
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .map((file) => path.relative(projectRoot, file));
  const folders = new Set();
  for (const source of sources) {
    for (
      let folder = path.dirname(source);
      folder !== '.' && !folders.has(folder);
      folder = path.dirname(folder)
    ) {
      folders.add(folder);
    }
  }
  return { folders: [...folders], sources };
}

/**
 * esbuild and TypeScript as tsx and the project's dev dependencies have them: resolved from tsx's own
 * place, so esbuild is found wherever npm put it (hoisted or under tsx). Absent in a production install.
 */
async function compilers() {
  const fromTsx = createRequire(fileURLToPath(import.meta.resolve('tsx')));
  const fromProject = createRequire(path.join(projectRoot, 'package.json'));
  const [esbuild, typescript] = await Promise.all([
    import(pathToFileURL(fromTsx.resolve('esbuild')).href),
    import(pathToFileURL(fromProject.resolve('typescript')).href),
  ]);
  return { build: (esbuild.default ?? esbuild).build, typescript };
}

/** client/cli/main.js of the compiled build when nothing it came from changed since, else undefined. */
export function freshCompiledCli() {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch {
    return undefined;
  }
  for (const [file, recorded] of Object.entries(manifest.stamps)) {
    if (stamp(file) !== recorded) return undefined;
  }
  const main = path.join(cacheDir, manifest.build, 'client', 'cli', 'main.js');
  // A build removed by hand (its manifest left behind) is rebuilt, not run.
  return statSync(main, { throwIfNoEntry: false }) ? main : undefined;
}

/**
 * Compiles the sources into .cache/cli/<build>/ and records their stamps. The build is written under a
 * temporary name and renamed, and the manifest written last by rename, so a start running meanwhile
 * reads either the previous complete build or this one. Returns client/cli/main.js of the build.
 */
export async function compileCli() {
  const { build, typescript } = await compilers();
  const startedAt = Date.now();
  const { folders, sources } = sourceTree(typescript);
  mkdirSync(cacheDir, { recursive: true });
  const id = `build-${startedAt}-${process.pid}`;
  const temporary = path.join(cacheDir, `${id}.tmp`);
  await build({
    absWorkingDir: projectRoot,
    entryPoints: sources,
    outbase: '.',
    outdir: temporary,
    bundle: false,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    tsconfig: path.join(projectRoot, 'tsconfig.json'),
    logLevel: 'silent',
  });
  copyFileSync(path.join(projectRoot, 'package.json'), path.join(temporary, 'package.json'));
  renameSync(temporary, path.join(cacheDir, id));

  const stamps = {};
  let changedDuringBuild = false;
  for (const file of [...folders, ...sources, ...otherInputs]) {
    const now = stamp(file);
    // Written while esbuild read it: record nothing, so the next start builds again.
    if (now === undefined || Number(now.split(':')[0]) >= startedAt) changedDuringBuild = true;
    stamps[file] = now;
  }
  if (!changedDuringBuild) {
    writeFileSync(`${manifestPath}.${id}.tmp`, JSON.stringify({ build: id, stamps }, null, 1));
    renameSync(`${manifestPath}.${id}.tmp`, manifestPath);
    removeOldBuilds(id, startedAt);
  }
  return path.join(cacheDir, id, 'client', 'cli', 'main.js');
}

function removeOldBuilds(keep, now) {
  for (const name of readdirSync(cacheDir)) {
    const built = /^build-(\d+)-\d+(\.tmp)?$/.exec(name);
    if (built && name !== keep && now - Number(built[1]) > oldBuildMs) {
      rmSync(path.join(cacheDir, name), { recursive: true, force: true });
    }
  }
}

// `node client/cli/compiled-cli.mjs`: npm's `prepare` (after `npm ci`), so even the first start is fast.
// Without the dev dependencies (`npm ci --omit=dev` in a checkout) there is nothing to compile with: say
// so and let the install succeed; a compile error of the sources still fails it.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let main;
  try {
    main = await compileCli();
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' && error?.code !== 'MODULE_NOT_FOUND') throw error;
    process.stdout.write(`staffbase-lifecycle CLI not compiled: ${error.message.split('\n')[0]}\n`);
  }
  if (main) {
    process.stdout.write(
      `staffbase-lifecycle CLI compiled into ${path.relative(projectRoot, path.dirname(path.dirname(path.dirname(main))))}\n`,
    );
  }
}
