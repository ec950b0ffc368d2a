import { parseRfc3339 } from '../ingest/times.ts'
import { GROUP_DIMENSIONS, type SpanFilter } from '../store/types.ts'
import { HttpError } from './errors.ts'

/** One query parameter: how to read it, and what the OpenAPI document says of it. */
export type ParamSpec =
  | { type: 'time'; description: string }
  | { type: 'int'; min: number; max: number; default: number; description: string }
  | { type: 'enum'; values: readonly string[]; default: string; description: string }
  | { type: 'list'; values?: readonly string[]; itemsMax?: number; description: string }
  | { type: 'string'; maxLength: number; description: string }
  | { type: 'bool'; default: boolean; description: string }

export type ParamSpecs = Record<string, ParamSpec>

type ValueOf<S extends ParamSpec> = S extends { type: 'time' }
  ? number | undefined
  : S extends { type: 'int' }
    ? number
    : S extends { type: 'enum'; values: readonly (infer V)[] }
      ? V
      : S extends { type: 'list' }
        ? string[]
        : S extends { type: 'bool' }
          ? boolean
          : string | undefined

export type Params<T extends ParamSpecs> = { [K in keyof T]: ValueOf<T[K]> }

function readOne(name: string, spec: ParamSpec, values: string[] | undefined): unknown {
  const last = values?.[values.length - 1]
  const fail = (allowed: string) =>
    new HttpError(
      400,
      `query parameter ${name} must be ${allowed} (actual: ${JSON.stringify(last)})`,
    )
  switch (spec.type) {
    case 'time': {
      if (last === undefined || last === '') return undefined
      const n = Number(last)
      if (Number.isFinite(n) && n >= 0) return n
      const parsed = parseRfc3339(last)
      if (parsed !== null) return parsed
      throw fail('epoch milliseconds or an RFC 3339 time')
    }
    case 'int': {
      if (last === undefined || last === '') return spec.default
      const n = Number(last)
      if (!Number.isInteger(n) || n < spec.min || n > spec.max)
        throw fail(`an integer from ${spec.min} to ${spec.max}`)
      return n
    }
    case 'enum':
      if (last === undefined || last === '') return spec.default
      if (!spec.values.includes(last)) throw fail(`one of ${spec.values.join(', ')}`)
      return last
    case 'bool':
      if (last === undefined || last === '') return spec.default
      if (last !== 'true' && last !== 'false') throw fail('true or false')
      return last === 'true'
    case 'string':
      if (last !== undefined && last.length > spec.maxLength)
        throw fail(`at most ${spec.maxLength} characters`)
      return last === '' ? undefined : last
    case 'list': {
      const items = (values ?? [])
        .flatMap((v) => v.split(','))
        .map((v) => v.trim())
        .filter((v) => v !== '')
      for (const item of items) {
        if (spec.values && !spec.values.includes(item)) {
          throw new HttpError(
            400,
            `query parameter ${name} takes ${spec.values.join(', ')} (actual: ${JSON.stringify(item)})`,
          )
        }
      }
      if (spec.itemsMax !== undefined && items.length > spec.itemsMax) {
        throw new HttpError(
          400,
          `query parameter ${name} takes at most ${spec.itemsMax} values (actual: ${items.length})`,
        )
      }
      return items
    }
  }
}

/** Reads and checks a request's query against its specs; unknown parameters are an error. */
export function parseQuery<T extends ParamSpecs>(
  queries: Record<string, string[]>,
  specs: T,
): Params<T> {
  for (const name of Object.keys(queries)) {
    // hasOwn, not `in`: `in` would take toString or constructor for parameters of every endpoint.
    if (!Object.hasOwn(specs, name)) {
      const allowed = Object.keys(specs)
      const takes = allowed.length === 0 ? 'no query parameters' : allowed.join(', ')
      throw new HttpError(400, `unknown query parameter ${name}; this endpoint takes ${takes}`)
    }
  }
  const out: Record<string, unknown> = {}
  for (const [name, spec] of Object.entries(specs)) out[name] = readOne(name, spec, queries[name])
  return out as Params<T>
}

const DAY_MS = 86_400_000
const list = (description: string) => ({ type: 'list', description }) as const

/** The time range and filters every read endpoint takes. */
export const FILTER_PARAMS = {
  from: {
    type: 'time',
    description: 'Range start, epoch ms or RFC 3339 (default: 24 h before to)',
  },
  to: { type: 'time', description: 'Range end, exclusive (default: now)' },
  model: list('Only these models (comma-separated or repeated)'),
  modelFamily: list('Only these model families (the model without its date suffix)'),
  provider: list('Only these providers'),
  endpoint: list('Only these application endpoints'),
  environment: list('Only these environments'),
  release: list('Only these releases'),
  userId: list('Only these users'),
  sessionId: list('Only these sessions'),
  kind: list('Only these span kinds'),
  status: { type: 'list', values: ['ok', 'error'], description: 'Only ok or only error spans' },
  errorType: list('Only these error categories'),
  tag: list('Spans carrying every one of these tags'),
} as const satisfies ParamSpecs

export const GROUP_BY_PARAM = {
  groupBy: {
    type: 'list',
    values: GROUP_DIMENSIONS,
    itemsMax: 3,
    description: `Group by up to three of ${GROUP_DIMENSIONS.join(', ')}`,
  },
} as const satisfies ParamSpecs

const LIST_FILTERS = [
  'model',
  'modelFamily',
  'provider',
  'endpoint',
  'environment',
  'release',
  'userId',
  'sessionId',
  'kind',
  'status',
  'errorType',
  'tag',
] as const satisfies readonly (keyof typeof FILTER_PARAMS & keyof SpanFilter)[]

type ListFilter = (typeof LIST_FILTERS)[number]

/** The filter of a parsed query, with the default range (the last 24 hours) filled in. */
export function toFilter(
  params: { from: number | undefined; to: number | undefined } & Partial<
    Record<ListFilter, string[]>
  >,
  nowMs: number,
): SpanFilter {
  const toMs = params.to ?? nowMs
  const fromMs = params.from ?? toMs - DAY_MS
  if (fromMs >= toMs) {
    throw new HttpError(400, `query parameter from (${fromMs}) must be before to (${toMs})`)
  }
  const filter: SpanFilter = { fromMs, toMs }
  for (const name of LIST_FILTERS) {
    const values = params[name]
    if (values !== undefined && values.length > 0) filter[name] = values
  }
  return filter
}
