import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { REPO_ROOT } from './processes.ts'

const SPEC = join(REPO_ROOT, 'spec')

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'))
}

export interface IngestVector {
  name: string
  request: { body?: { spans?: Record<string, unknown>[]; scores?: Record<string, unknown>[] } }
  response: { status: number; body: unknown }
  stored: { spans: Record<string, unknown>[]; scores: Record<string, unknown>[] }
}

/** spec/vectors/ingest/*.json, read with node:fs so the tests run under Node as well as Bun. */
export function ingestVector(name: string): IngestVector {
  return readJson(join(SPEC, 'vectors', 'ingest', `${name}.json`)) as IngestVector
}

export function ingestVectorNames(): string[] {
  return readdirSync(join(SPEC, 'vectors', 'ingest'))
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
}

type Schema = {
  properties?: Record<string, Schema>
  items?: Schema
  maxLength?: number
  maxItems?: number
}

export function schema(file: string): Schema {
  return readJson(join(SPEC, 'schemas', file)) as Schema
}

const ajv = new Ajv2020({ allErrors: true, strict: false })
const validateRequest = ajv.compile(schema('ingest-request.schema.json'))

/**
 * Asserts that a body is a valid ingest request and that no span or score carries a field the
 * contract does not name (the server would accept it with a warning; the SDK must not send one).
 */
export function assertValidIngestBody(body: unknown): void {
  const valid = validateRequest(body)
  assert.ok(valid, `invalid ingest body: ${ajv.errorsText(validateRequest.errors)}`)
  const request = schema('ingest-request.schema.json')
  const known = (array: string) =>
    new Set(Object.keys(request.properties?.[array]?.items?.properties ?? {}))
  const typed = body as { spans?: Record<string, unknown>[]; scores?: Record<string, unknown>[] }
  for (const [array, items] of [
    ['spans', typed.spans ?? []],
    ['scores', typed.scores ?? []],
  ] as const) {
    const fields = known(array)
    for (const item of items) {
      for (const key of Object.keys(item))
        assert.ok(fields.has(key), `${array} carries unknown field ${key}`)
    }
  }
}
