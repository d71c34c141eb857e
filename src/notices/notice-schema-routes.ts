/** The request's JSON Schema, from the zod schema the API validates with: what a form is built from. */
import { z } from 'zod';
import type { Routes } from '../kernel/routes';
import { CreateNoticeBody, RedRequestSchema, YellowRequestSchema } from './notice-request-schemas';
import { NOTICE_TYPES } from './notice-types';

const SchemaQuery = z.strictObject({
  type: z.enum(NOTICE_TYPES).optional().meta({ description: 'RED or YELLOW; both (one of them) when left out' }),
});

const JsonSchemaResponse = z
  .record(z.string(), z.unknown())
  .meta({ id: 'JsonSchema', description: 'A JSON Schema (draft 2020-12), as the request body is validated' });

// Built once: the schemas do not change while the server runs.
const SCHEMAS = {
  RED: z.toJSONSchema(RedRequestSchema, { io: 'input' }),
  YELLOW: z.toJSONSchema(YellowRequestSchema, { io: 'input' }),
  both: z.toJSONSchema(CreateNoticeBody, { io: 'input' }),
};

export function registerNoticeSchemaRoutes(routes: Routes): void {
  routes.define({
    method: 'get',
    path: '/api/schemas/notice-request',
    operationId: 'getNoticeRequestSchema',
    summary: 'The JSON Schema of a notice request (the body of createNotice and of UPDATE_DRAFT’s `request`)',
    description:
      'Generated from the schema the API validates requests with, so a form built from it asks for exactly ' +
      'what the API takes. Field labels are in `GET /api/labels` (`fields`, by dotted path).',
    tags: ['notices'],
    query: SchemaQuery,
    response: JsonSchemaResponse,
    errors: [],
    handler: async ({ query }) => SCHEMAS[query.type ?? 'both'],
  });
}
