/**
 * Kysely is an ES module and this project compiles to CommonJS, so it is imported for its types only
 * (`resolution-mode: import`) and loaded at run time with `import()`, once.
 */
import type * as KyselyModule from 'kysely' with { 'resolution-mode': 'import' };
import type * as KyselyMigrationModule from 'kysely/migration' with { 'resolution-mode': 'import' };

export type Kysely = typeof KyselyModule;
export type KyselyMigration = typeof KyselyMigrationModule;

let kysely: Promise<Kysely> | undefined;
let migration: Promise<KyselyMigration> | undefined;

export function loadKysely(): Promise<Kysely> {
  kysely ??= import('kysely');
  return kysely;
}

export function loadKyselyMigration(): Promise<KyselyMigration> {
  migration ??= import('kysely/migration');
  return migration;
}
