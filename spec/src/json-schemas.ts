import { IngestReplySchema, IngestRequestSchema, ScoreSchema, SpanSchema } from './ingest.ts'

/** The files under spec/schemas/, by name: what non-TypeScript clients validate against. */
export const JSON_SCHEMA_FILES = {
  'span.schema.json': SpanSchema,
  'score.schema.json': ScoreSchema,
  'ingest-request.schema.json': IngestRequestSchema,
  'ingest-reply.schema.json': IngestReplySchema,
} as const

/** A schema as a standalone JSON document, with the draft it follows. */
export function toJsonDocument(schema: object): string {
  const document = { $schema: 'https://json-schema.org/draft/2020-12/schema', ...schema }
  return `${JSON.stringify(document, null, 2)}\n`
}
