import { ErrorReplySchema } from '@llmlens/spec'
import type { TSchema } from '@sinclair/typebox'
import type { ParamSpec } from './params.ts'
import type { RouteDoc } from './route-docs.ts'

function paramSchema(spec: ParamSpec): object {
  switch (spec.type) {
    case 'time':
      return {
        oneOf: [
          { type: 'number', minimum: 0 },
          { type: 'string', format: 'date-time' },
        ],
      }
    case 'int':
      return { type: 'integer', minimum: spec.min, maximum: spec.max, default: spec.default }
    case 'enum':
      return { type: 'string', enum: spec.values, default: spec.default }
    case 'list':
      return {
        type: 'array',
        items: spec.values ? { type: 'string', enum: spec.values } : { type: 'string' },
      }
    case 'string':
      return { type: 'string', maxLength: spec.maxLength }
    case 'bool':
      return { type: 'boolean', default: spec.default }
  }
}

const STATUS_TEXT: Record<number, string> = {
  400: 'The request is malformed; the message says where',
  401: 'Missing or invalid API key',
  404: 'Not found',
  409: 'Conflicts with what exists; the message says what',
  413: 'Over a size limit; the message gives the limit and the size seen',
  415: 'Unsupported content type or encoding',
}

function isSchema(response: RouteDoc['response']): response is TSchema {
  return !('contentType' in response && 'description' in response && !('type' in response))
}

/**
 * A schema as plain JSON without its `$id`s. One schema may embed another twice (a summary holds
 * Metrics in its total and in each group), and two subschemas with one `$id` make a document
 * that JSON Schema validators refuse as ambiguous.
 */
function withoutIds(schema: TSchema): object {
  return JSON.parse(JSON.stringify(schema), (key, value) =>
    key === '$id' && typeof value === 'string' ? undefined : value,
  )
}

const ERROR_REPLY = withoutIds(ErrorReplySchema)

/** The OpenAPI 3.1 document, built from the same schemas and parameter specs the routes use. */
export function openApiDocument(routes: readonly RouteDoc[], version: string): object {
  const paths: Record<string, Record<string, object>> = {}
  for (const route of routes) {
    const parameters = [
      ...Object.entries(route.pathParams ?? {}).map(([name, description]) => ({
        name,
        in: 'path',
        required: true,
        description,
        schema: { type: 'string' },
      })),
      ...Object.entries(route.params ?? {}).map(([name, spec]) => ({
        name,
        in: 'query',
        description: spec.description,
        schema: paramSchema(spec),
        ...(spec.type === 'list' ? { style: 'form', explode: false } : {}),
      })),
    ]
    const ok = isSchema(route.response)
      ? {
          description: 'OK',
          content: { 'application/json': { schema: withoutIds(route.response) } },
        }
      : { description: route.response.description, content: { [route.response.contentType]: {} } }
    const responses: Record<string, object> = { 200: ok }
    for (const status of route.errors) {
      responses[status] = {
        description: STATUS_TEXT[status] ?? 'Error',
        content: { 'application/json': { schema: ERROR_REPLY } },
      }
    }
    paths[route.path] ??= {}
    ;(paths[route.path] as Record<string, object>)[route.method] = {
      summary: route.summary,
      parameters,
      ...(route.requestBody
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: withoutIds(route.requestBody) } },
            },
          }
        : {}),
      responses,
    }
  }
  return {
    openapi: '3.1.0',
    info: { title: 'llmlens API', version, description: 'Ingest and query LLM call telemetry' },
    components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } } },
    security: [{ apiKey: [] }, {}],
    paths,
  }
}
