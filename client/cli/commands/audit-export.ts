/**
 * `audit export`: the audit trail, or a filter of it, as CSV or a JSON array, one store page at a time
 * (never every row at once), to stdout or a file. A file is written beside its name first and renamed
 * when complete, so a failed export never leaves a truncated file that looks whole.
 */
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import {
  AUDIT_CSV_HEADER,
  auditCsvLine,
  auditFilterSchema,
  auditPages,
  auditRowJson,
} from '../../audit-export';
import type { AuditLog } from '../../../store';
import { type CommandContext } from '../context';
import { defined, invalidInput, validOrThrow } from '../parsing';

export interface AuditExportOptions {
  from?: string;
  to?: string;
  externalId?: string;
  action?: string;
  format: 'csv' | 'json';
  out?: string;
}

const flagOf = { externalID: '--external-id', action: '--action', from: '--from', to: '--to' };

/** Writes with back-pressure: waits for `drain` when the stream's buffer is full. */
async function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

/** Writes every matching row; returns how many. */
export async function exportAuditTrail(
  ctx: CommandContext,
  audit: Pick<AuditLog, 'find'>,
  options: AuditExportOptions,
): Promise<number> {
  const filter = validOrThrow(
    auditFilterSchema,
    defined({ externalID: options.externalId, action: options.action, from: options.from, to: options.to }),
    'audit filter',
    flagOf,
  );
  const pages = auditPages(audit, filter);
  // The first page before any output: a filter the store refuses (e.g. --to before --from) writes nothing.
  let first: IteratorResult<Awaited<ReturnType<AuditLog['find']>>['rows']>;
  try {
    first = await pages.next();
  } catch (error) {
    const { StoreInputError } = await import('../../../store/index.js');
    if (error instanceof StoreInputError) {
      throw invalidInput('audit filter', [{ field: error.field, message: error.problem }], flagOf);
    }
    throw error;
  }

  const partial = options.out === undefined ? undefined : `${options.out}.partial`;
  const target = partial === undefined ? ctx.io.stdout : createWriteStream(partial, { flags: 'w' });
  let rows = 0;
  try {
    await write(target, options.format === 'csv' ? AUDIT_CSV_HEADER : '[');
    const emit = async (page: Parameters<typeof auditCsvLine>[0][]) => {
      for (const row of page) {
        if (options.format === 'csv') await write(target, auditCsvLine(row));
        else await write(target, `${rows === 0 ? '\n' : ',\n'}${JSON.stringify(auditRowJson(row))}`);
        rows += 1;
      }
    };
    if (!first.done) await emit(first.value);
    for await (const page of pages) await emit(page);
    if (options.format === 'json') await write(target, rows === 0 ? ']\n' : '\n]\n');
    if (partial !== undefined && options.out !== undefined) {
      target.end();
      await once(target, 'close');
      await rename(partial, options.out);
    }
  } catch (error) {
    if (partial !== undefined) {
      (target as ReturnType<typeof createWriteStream>).destroy();
      await rm(partial, { force: true });
    }
    throw error;
  }
  return rows;
}
