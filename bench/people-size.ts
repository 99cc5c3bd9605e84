/** How much room the person index takes: its tables and their indexes, in bytes. */
import { type StoreConnection } from '../store/connection';

export async function storeSizeBytes(connection: StoreConnection): Promise<number> {
  const { sql } = connection.kysely;
  if (connection.kind === 'sqlite') {
    // The whole file after a checkpoint: the index is nearly all of it (the audit tables are empty).
    await sql`pragma wal_checkpoint(TRUNCATE)`.execute(connection.db);
    const result = await sql<{ bytes: number }>`
      select page_count * page_size as bytes from pragma_page_count(), pragma_page_size()`.execute(
      connection.db,
    );
    return Number(result.rows[0]?.bytes ?? 0);
  }
  const result = await sql<{ bytes: string }>`
    select sum(pg_total_relation_size(c.oid)) as bytes from pg_class c
    where c.relname in ('person', 'milestone') and c.relkind = 'r'`.execute(connection.db);
  return Number(result.rows[0]?.bytes ?? 0);
}
