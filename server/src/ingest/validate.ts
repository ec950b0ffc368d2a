import type { Score, Span } from '@llmlens/spec'
import { ScoreSchema, SpanSchema } from '@llmlens/spec'
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv'

/** One problem with one field, ready for a client to read. */
export interface FieldError {
  path: string
  message: string
}

// allErrors lets a client fix every problem of an item in one round trip; on valid input, the
// common case, it costs nothing extra. verbose gives each error its schema for the messages.
const ajv = new Ajv({ allErrors: true, verbose: true, strict: false })
const spanValidator = ajv.compile<Span>(SpanSchema)
const scoreValidator = ajv.compile<Score>(ScoreSchema)

export const validateSpan = (value: unknown, path: string) => check(spanValidator, value, path)
export const validateScore = (value: unknown, path: string) => check(scoreValidator, value, path)

function check<T>(
  validator: ValidateFunction<T>,
  value: unknown,
  path: string,
): FieldError[] | null {
  if (validator(value)) return null
  return (validator.errors ?? []).filter(isReportable).map((error) => describe(error, path))
}

// A value of the wrong type fails both `type` and the type's own keywords; report the type.
function isReportable(error: ErrorObject, index: number, all: ErrorObject[]): boolean {
  if (error.keyword === 'type') return true
  return !all.some(
    (other, j) =>
      j !== index && other.keyword === 'type' && other.instancePath === error.instancePath,
  )
}

function fieldPath(base: string, instancePath: string, missing?: string): string {
  let path = base
  const parts = instancePath === '' ? [] : instancePath.slice(1).split('/')
  if (missing !== undefined) parts.push(missing)
  for (const raw of parts) {
    const part = raw.replaceAll('~1', '/').replaceAll('~0', '~')
    path += /^\d+$/.test(part)
      ? `[${part}]`
      : /^[A-Za-z_$][\w$]*$/.test(part)
        ? `.${part}`
        : `[${JSON.stringify(part)}]`
  }
  return path
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

function typeName(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number' && Number.isInteger(value)) return 'integer'
  return typeof value
}

function describe(error: ErrorObject, base: string): FieldError {
  const params = error.params as Record<string, unknown>
  const schema = error.parentSchema as { description?: string } | undefined
  const data = error.data
  if (error.keyword === 'required') {
    const missing = String(params.missingProperty)
    return { path: fieldPath(base, error.instancePath, missing), message: 'is required' }
  }
  const path = fieldPath(base, error.instancePath)
  switch (error.keyword) {
    case 'type': {
      const types = Array.isArray(params.type) ? params.type : [params.type]
      // Times are the only fields typed exactly [number, string]; metadata values also take
      // booleans and null, and are named by their types.
      const isTime = types.length === 2 && types.includes('number') && types.includes('string')
      const expected = isTime ? 'epoch milliseconds or an RFC 3339 string' : types.join(' or ')
      const actual = data === null ? 'null' : `${typeName(data)} ${shown(data)}`
      return { path, message: `must be ${expected} (actual: ${actual})` }
    }
    case 'maxLength':
      return {
        path,
        message: `is ${String(data).length} characters; at most ${params.limit} allowed`,
      }
    case 'minLength':
      return { path, message: `must not be empty` }
    case 'maxItems':
      return {
        path,
        message: `has ${(data as unknown[]).length} items; at most ${params.limit} allowed`,
      }
    case 'maxProperties':
      return {
        path,
        message: `has ${Object.keys(data as object).length} keys; at most ${params.limit} allowed`,
      }
    case 'minimum':
    case 'maximum':
      return {
        path,
        message: `must be ${params.comparison} ${params.limit} (actual: ${shown(data)})`,
      }
    case 'enum': {
      const allowed = (params.allowedValues as (string | null)[]).filter((v) => v !== null)
      return { path, message: `must be one of ${allowed.join(', ')} (actual: ${shown(data)})` }
    }
    case 'pattern':
      if (Array.isArray((schema as { type?: unknown }).type)) {
        return {
          path,
          message: `must be epoch milliseconds or an RFC 3339 string (actual: ${shown(data)})`,
        }
      }
      return {
        path,
        message: `must be ${schema?.description ?? `like ${params.pattern}`} (actual: ${shown(data)})`,
      }
    case 'propertyNames':
      return { path, message: `has a key longer than allowed (${shown(params.propertyName)})` }
    default:
      return { path, message: `${error.message ?? 'is invalid'} (actual: ${shown(data)})` }
  }
}
