/** The audit trail for auditors: `GET /v1/audit`, support key only, JSON or CSV, paged by row number. */
import { z } from 'zod';
import { AUDIT_CSV_HEADER, auditCsvLine, auditFilterSchema, auditRowJson } from '../../audit-export';
import { AUDIT_PAGE_DEFAULT, AUDIT_PAGE_MAX, StoreInputError } from '../../../store';
import { ApiError } from '../errors';
import { type ApiRoute, parseRequest } from '../route-spec';

export const auditQuerySchema = auditFilterSchema.extend({
  format: z.enum(['json', 'csv'], 'must be json or csv').optional(),
  limit: z
    .string()
    .regex(/^\d{1,4}$/, `must be a whole number from 1 to ${AUDIT_PAGE_MAX}`)
    .refine(
      (value) => Number(value) >= 1 && Number(value) <= AUDIT_PAGE_MAX,
      `must be a whole number from 1 to ${AUDIT_PAGE_MAX}`,
    )
    .optional(),
  /** `nextCursor` of the previous page (JSON), or its `X-Next-Cursor` header (CSV). */
  cursor: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(200, 'is not a cursor this API gave out')
    .optional(),
});

export const auditRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/v1/audit',
    operationId: 'listAuditRows',
    tag: 'audit',
    access: 'admin',
    summary: 'The audit trail: who did what to whom, when and why',
    description:
      'Rows of the hash-chained audit trail in the store, oldest first: every act of the HR API, the CLI ' +
      'and the worker (`actorKind` is the key or process, `actorUser` the trusted user header or OS user). ' +
      'Filters: `externalID`, `action`, `from`/`to` (inclusive; a date or a UTC time). Paged by row number: ' +
      `\`limit\` 1–${AUDIT_PAGE_MAX} (default ${AUDIT_PAGE_DEFAULT}); pass \`nextCursor\` as \`cursor\` for the next ` +
      'page. `format=csv` answers `text/csv` with a header row and the next cursor in the `X-Next-Cursor` ' +
      "header (absent on the last page); text a spreadsheet would run as a formula starts with `'`.",
    query: auditQuerySchema,
    responses: {
      200: { description: 'One page of rows (or CSV with `format=csv`).', schema: 'AuditPage' },
      400: { description: 'A bad filter, limit or cursor (`error: invalid_request`).', schema: 'Error' },
    },
    async handle(context) {
      const { query } = parseRequest({ query: [auditQuerySchema, context.query] });
      const store = context.deps.store;
      const { format, limit, ...filter } = query;
      let page;
      try {
        page = await store.audit.find({ ...filter, ...(limit !== undefined && { limit: Number(limit) }) });
      } catch (error) {
        if (error instanceof StoreInputError)
          throw ApiError.invalid([{ field: error.field, message: error.problem }]);
        throw error;
      }
      if (format === 'csv') {
        return {
          statusCode: 200,
          body: AUDIT_CSV_HEADER + page.rows.map(auditCsvLine).join(''),
          headers: {
            'content-type': 'text/csv; charset=utf-8',
            'content-disposition': 'attachment; filename="audit.csv"',
            ...(page.nextCursor !== undefined && { 'x-next-cursor': page.nextCursor }),
          },
        };
      }
      return {
        statusCode: 200,
        body: {
          rows: page.rows.map(auditRowJson),
          ...(page.nextCursor !== undefined && { nextCursor: page.nextCursor }),
        },
      };
    },
  },
];
