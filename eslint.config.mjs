// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

// Workflow code runs in Temporal's deterministic sandbox: Node built-ins (I/O, clocks, randomness) break replay.
const nodeBuiltins = builtinModules.flatMap((name) => [name, `node:${name}`]);

/**
 * The floors (CONTRIBUTING.md, "Floors"): imports only go downwards. Each entry names the top-level
 * folders its files must not import, matched on relative specifiers that climb out to them
 * (`../activities/…`, `../../test/…`), so a wrong arrow fails `npm run lint`. tooling/, bench/ and
 * test/ are the top floor and import anything. (Dynamic `import()` is not checked.)
 */
const upstairs = (...folders) => `^(?:\\.\\./)+(?:${folders.join('|')})(?:/|$)`;
/** config/ except its ground-floor constants, config/defaults.ts. */
const configBeyondDefaults = '^(?:\\.\\./)+config(?:/(?!defaults$)|$)';
const offFloor = (message, ...regexes) =>
  regexes.map((regex) => ({
    regex,
    caseSensitive: true,
    message: `${message} (CONTRIBUTING.md, "Floors").`,
  }));
const typesOnly = (patterns) => patterns.map((pattern) => ({ ...pattern, allowTypeImports: true }));
const neverInProduction = ['tooling', 'bench', 'test'];
const importFloors = [
  {
    files: ['staffbase/**/*.{ts,mts,mjs}'],
    patterns: offFloor(
      'staffbase/ is the ground floor: it imports config/defaults.ts only',
      upstairs(
        'lifecycle',
        'activities',
        'workflows',
        'worker',
        'client',
        'simulator',
        'store',
        ...neverInProduction,
      ),
      configBeyondDefaults,
    ),
  },
  {
    files: ['lifecycle/**/*.{ts,mts,mjs}'],
    patterns: offFloor(
      'lifecycle/ imports staffbase/ and config/defaults.ts only',
      upstairs('activities', 'workflows', 'worker', 'client', 'simulator', 'store', ...neverInProduction),
      configBeyondDefaults,
    ),
  },
  {
    files: ['config/**/*.{ts,mts,mjs}'],
    patterns: offFloor(
      'config/ reads the environment into lifecycle/ and staffbase/ values: it imports nothing above them',
      upstairs('activities', 'workflows', 'worker', 'client', 'simulator', 'store', ...neverInProduction),
    ),
  },
  {
    // Beneath everything: one named constant per default, importable from every floor.
    files: ['config/defaults.ts'],
    patterns: offFloor('config/defaults.ts imports nothing of ours', '^\\.'),
  },
  {
    files: ['activities/**/*.{ts,mts,mjs}'],
    patterns: offFloor(
      "activities/ import staffbase/, lifecycle/, config/ and workflows' *-messages.ts definitions only",
      upstairs('worker', 'client', 'simulator', ...neverInProduction),
      '^(?:\\.\\./)+workflows(?:/(?![\\w-]+-messages$)|$)',
    ),
  },
  {
    files: ['workflows/**/*.{ts,mts,mjs}'],
    paths: nodeBuiltins.map((name) => ({
      name,
      message: 'Workflow code must be deterministic: no Node built-ins in workflows/.',
    })),
    patterns: [
      {
        group: ['**/activities/**'],
        allowTypeImports: true,
        message: 'Workflows import activity *types* only (import type).',
      },
      // The sandbox can run neither the client's HTTP nor config/'s reading of the environment.
      ...typesOnly(
        offFloor(
          'Workflows import staffbase/ and config/ *types* only (import type)',
          upstairs('staffbase'),
          configBeyondDefaults,
        ),
      ),
      ...offFloor(
        'workflows/ import lifecycle/ and activity types only',
        upstairs('worker', 'client', 'simulator', 'store', ...neverInProduction),
      ),
    ],
  },
  {
    // The project's own database (issue 29): activities, worker/ and client/ reach it, workflows never.
    files: ['store/**/*.{ts,mts,mjs}'],
    patterns: offFloor(
      'store/ imports config/ and lifecycle/ only',
      upstairs('staffbase', 'activities', 'workflows', 'worker', 'client', 'simulator', ...neverInProduction),
    ),
  },
  {
    files: ['worker/**/*.{ts,mts,mjs}'],
    ignores: ['worker/main.ts'],
    patterns: offFloor(
      'worker/ imports the floors below it, not client/',
      upstairs('client', 'simulator', ...neverInProduction),
    ),
  },
  {
    // The worker process's entry wires the one home of run starts into the reconciliation's activities
    // (activities/ cannot import client/), watches the reconciliation's drop folder (RECONCILE_DROP_DIR) and
    // pulls its source (RECONCILE_SOURCE_URL), which start plans as an upload does: those files only.
    files: ['worker/main.ts'],
    patterns: offFloor(
      'worker/main.ts imports the floors below it and client/reconcile-{starters,drop-folder,source-pull}.ts only',
      upstairs('simulator', ...neverInProduction),
      '^(?:\\.\\./)+client(?:/(?!reconcile-starters$|reconcile-drop-folder$|reconcile-source-pull$)|$)',
    ),
  },
  {
    files: ['client/**/*.{ts,mts,mjs}'],
    patterns: offFloor(
      'client/ imports the floors below it, not worker/',
      upstairs('worker', 'simulator', ...neverInProduction),
    ),
  },
  {
    // A stand-alone fake Staffbase: sharing the client's code would hide the mismatches it exists to find.
    files: ['simulator/**/*.{ts,mts,mjs}'],
    patterns: offFloor(
      'simulator/ imports config/defaults.ts only',
      // Not 'store': simulator/store.ts (its users) is its own, and `../store` names it from its routes.
      upstairs('staffbase', 'lifecycle', 'activities', 'workflows', 'worker', 'client', ...neverInProduction),
      configBeyondDefaults,
    ),
  },
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      '.tools/',
      '.data/',
      '.cache/',
      'eslint.config.mjs',
      'client/console/src/api-types.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Workflow state is declared before the message handlers that read it, and assigned once later.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  { files: ['**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  ...importFloors.map(({ files, paths = [], patterns }) => ({
    files,
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths, patterns }] },
  })),
  {
    // Retired code is fenced: activities/retired/ holds activities only old histories schedule (by
    // name); only that folder and the registration (activities/index.ts) import from it — current
    // code takes shared helpers and types from current modules, workflows the types from
    // activities/index.ts. Tests of the retired activities may import them. ESLint's own rule, so
    // it adds to the floors' `@typescript-eslint/no-restricted-imports` instead of replacing them.
    files: ['**/*.{ts,mts,mjs}'],
    ignores: ['activities/retired/**', 'activities/index.ts', 'test/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)activities/retired(/|$)|^(\\.\\.?/)+retired(/|$)',
              message:
                'activities/retired/ is fenced: only it and activities/index.ts import from it (see its index.ts).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'tooling/**/*.ts', 'bench/**/*.ts'],
    rules: {
      // node:test's describe/it return promises that the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] },
          ],
        },
      ],
    },
  },
);
