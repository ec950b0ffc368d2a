import { describe, expect, test } from 'bun:test'
import { IngestRequestSchema, loadIngestVectors } from '@llmlens/spec'
import Ajv2020 from 'ajv/dist/2020'
import { GROUP_DIMENSIONS } from '../store/types.ts'
import { type Harness, harness } from '../testing/harness.ts'
import { ROUTE_DOCS } from './app.ts'
import type { RouteDoc } from './route-docs.ts'

interface Parameter {
  name: string
  in: 'query' | 'path'
  required?: boolean
  description: string
  schema: Record<string, unknown>
  style?: string
  explode?: boolean
}

interface Operation {
  summary: string
  parameters: Parameter[]
  requestBody?: { required: boolean; content: Record<string, { schema: object }> }
  responses: Record<string, { description: string; content: Record<string, { schema?: object }> }>
}

interface Document {
  openapi: string
  info: { title: string; version: string }
  components: { securitySchemes: Record<string, unknown> }
  security: unknown[]
  paths: Record<string, Record<string, Operation>>
}

const TRACE = '0af7651916cd43dd8448eb211c80319c'

async function documentOf(h: Harness): Promise<Document> {
  const reply = await h.json('/api/v1/openapi.json')
  expect(reply.status).toBe(200)
  return reply.body as Document
}

function operation(doc: Document, path: string, method: RouteDoc['method']): Operation {
  const found = doc.paths[path]?.[method]
  if (found === undefined) throw new Error(`no ${method} ${path} in the document`)
  return found
}

/** OpenAPI 3.1 schemas are JSON Schema 2020-12; a fresh validator per schema, as `$id`s repeat. */
function validator(schema: object) {
  return new Ajv2020({ strict: false, validateFormats: false, allErrors: true }).compile(schema)
}

const jsonSchemaOf = (op: Operation, status: string) =>
  op.responses[status]?.content['application/json']?.schema as object

describe('GET /api/v1/openapi.json', () => {
  test('is an OpenAPI 3.1 document with bearer-key security', async () => {
    const doc = await documentOf(harness())

    expect(doc.openapi).toBe('3.1.0')
    expect(doc.info).toMatchObject({ title: 'llmlens API', version: 'test' })
    expect(doc.components.securitySchemes).toEqual({ apiKey: { type: 'http', scheme: 'bearer' } })
    expect(Object.keys(doc.paths).sort()).toEqual(
      [...new Set(ROUTE_DOCS.map((r) => r.path))].sort(),
    )
    for (const path of Object.keys(doc.paths)) expect(path).toMatch(/^\/(api\/v1|v1)\/|^\/metrics$/)
  })

  test.each(ROUTE_DOCS.map((route) => [route.method.toUpperCase(), route.path, route] as const))(
    '%s %s: summary, every parameter, and every response status',
    async (_method, path, route) => {
      const op = operation(await documentOf(harness()), path, route.method)

      expect(op.summary).toBe(route.summary)
      expect(op.parameters.map((p) => `${p.in} ${p.name}`)).toEqual([
        ...Object.keys(route.pathParams ?? {}).map((name) => `path ${name}`),
        ...Object.keys(route.params ?? {}).map((name) => `query ${name}`),
      ])
      for (const parameter of op.parameters) {
        expect<string | undefined>(parameter.description).toBe(
          parameter.in === 'path'
            ? route.pathParams?.[parameter.name]
            : route.params?.[parameter.name]?.description,
        )
        if (parameter.in === 'path') {
          expect(parameter.required).toBe(true)
          expect(path).toContain(`{${parameter.name}}`)
        }
      }
      expect(Object.keys(op.responses)).toEqual(['200', ...route.errors.map(String)])
      for (const status of route.errors.map(String)) {
        expect(op.responses[status]?.content['application/json']?.schema).toMatchObject({
          type: 'object',
          properties: { error: { type: 'string' } },
          required: ['error'],
        })
      }
    },
  )

  test('query parameters carry their type, bounds, choices and defaults', async () => {
    const doc = await documentOf(harness())
    const schemaOf = (path: string, name: string) =>
      operation(doc, path, 'get').parameters.find((p) => p.name === name)

    expect(schemaOf('/api/v1/spans', 'limit')?.schema).toEqual({
      type: 'integer',
      minimum: 1,
      maximum: 1000,
      default: 100,
    })
    expect(schemaOf('/api/v1/spans', 'sort')?.schema).toEqual({
      type: 'string',
      enum: ['startTime', 'durationMs', 'costUsd'],
      default: 'startTime',
    })
    expect(schemaOf('/api/v1/spans', 'content')?.schema).toEqual({
      type: 'boolean',
      default: false,
    })
    expect(schemaOf('/api/v1/spans', 'search')?.schema).toEqual({ type: 'string', maxLength: 256 })
    expect(schemaOf('/api/v1/spans', 'from')?.schema).toEqual({
      oneOf: [
        { type: 'number', minimum: 0 },
        { type: 'string', format: 'date-time' },
      ],
    })
    // Lists are comma-separated: style form without explode.
    expect(schemaOf('/api/v1/metrics/summary', 'model')).toMatchObject({
      style: 'form',
      explode: false,
      schema: { type: 'array', items: { type: 'string' } },
    })
    expect(schemaOf('/api/v1/metrics/summary', 'groupBy')?.schema).toEqual({
      type: 'array',
      items: { type: 'string', enum: [...GROUP_DIMENSIONS] },
    })
    expect(schemaOf('/api/v1/export', 'format')?.schema).toMatchObject({
      enum: ['ndjson', 'json', 'csv'],
      default: 'ndjson',
    })
  })

  test("the ingest request body is the spec's IngestRequestSchema", async () => {
    const ingest = operation(await documentOf(harness()), '/api/v1/ingest', 'post')
    const body = ingest.requestBody?.content['application/json']?.schema as object

    expect(ingest.requestBody?.required).toBe(true)
    // The same schema, without the `$id`s that name it and its parts.
    const unnamed = JSON.parse(JSON.stringify(IngestRequestSchema), (key, value) =>
      key === '$id' ? undefined : value,
    )
    expect(body).toEqual(unnamed)
    expect(body).toMatchObject({
      properties: { spans: { maxItems: 10_000 }, scores: { maxItems: 10_000 } },
    })
    const validate = validator(body)
    // Every vector the server accepts whole is a body the schema admits.
    const accepted = loadIngestVectors().filter(
      (v) =>
        v.response.status === 200 &&
        v.request.body !== undefined &&
        !hasRejections(v.response.body),
    )
    expect(accepted.length).toBeGreaterThan(5)
    for (const vector of accepted) {
      expect([vector.name, validate(vector.request.body)]).toEqual([vector.name, true])
    }
    expect(validate({ spans: 'not an array' })).toBe(false)
  })

  test('every request and response schema compiles as JSON Schema 2020-12', async () => {
    const doc = await documentOf(harness())
    const schemas = Object.values(doc.paths)
      .flatMap((methods) => Object.values(methods))
      .flatMap((op) => [op.requestBody, ...Object.values(op.responses)])
      .flatMap((part) => Object.values(part?.content ?? {}).map((media) => media.schema))
      .filter((schema) => schema !== undefined)

    expect(schemas.length).toBeGreaterThanOrEqual(ROUTE_DOCS.length)
    for (const schema of schemas) expect(() => validator(schema)).not.toThrow()
  })

  test('streams are documented by content type', async () => {
    const doc = await documentOf(harness())

    expect(
      Object.keys(operation(doc, '/api/v1/export', 'get').responses['200']?.content ?? {}),
    ).toEqual(['application/x-ndjson'])
    expect(
      Object.keys(operation(doc, '/api/v1/stream', 'get').responses['200']?.content ?? {}),
    ).toEqual(['text/event-stream'])
  })

  test('every JSON reply validates against its documented schema', async () => {
    const h = harness()
    const doc = await documentOf(h)
    // The design example, the same call failed, and the scores vector: every shape of reply.
    const [designSpan] = vectorBody('design-example').spans ?? []
    const failed = {
      ...designSpan,
      spanId: 'b7ad6b7169203332',
      status: 'error',
      error: { type: 'rate_limit', message: 'Too many requests', httpStatus: 429 },
    }
    const body = { spans: [designSpan, failed], scores: vectorBody('scores').scores }
    const ingested = await h.post('/api/v1/ingest', body)
    expect(
      validator(jsonSchemaOf(operation(doc, '/api/v1/ingest', 'post'), '200'))(ingested.body),
    ).toBe(true)

    const range = 'from=1764755000000&to=1764757000000'
    const reads: [string, string][] = [
      ['/api/v1/metrics/summary', `${range}&groupBy=model`],
      ['/api/v1/metrics/timeseries', `${range}&groupBy=model,endpoint`],
      ['/api/v1/spans', `${range}&content=true`],
      ['/api/v1/traces/{traceId}', ''],
      ['/api/v1/errors', range],
      ['/api/v1/scores', range],
    ]
    for (const [path, query] of reads) {
      const reply = await h.json(`${path.replace('{traceId}', TRACE)}?${query}`)
      const validate = validator(jsonSchemaOf(operation(doc, path, 'get'), '200'))
      expect([path, reply.status, validate(reply.body), validate.errors ?? null]).toEqual([
        path,
        200,
        true,
        null,
      ])
    }

    const refused = await h.json('/api/v1/spans?limit=0')
    const validateError = validator(jsonSchemaOf(operation(doc, '/api/v1/spans', 'get'), '400'))
    expect([refused.status, validateError(refused.body)]).toEqual([400, true])
  })
})

function vectorBody(name: string): { spans?: object[]; scores?: object[] } {
  const vector = loadIngestVectors().find((v) => v.name === name)
  if (vector === undefined) throw new Error(`no ingest vector ${name}`)
  return vector.request.body as { spans?: object[]; scores?: object[] }
}

function hasRejections(body: unknown): boolean {
  return ((body as { rejected?: unknown[] }).rejected ?? []).length > 0
}
