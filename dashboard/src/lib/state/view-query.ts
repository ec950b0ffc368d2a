import { DEFAULT_PRESET, DEFAULT_RANGE, isPresetId, type TimeRange } from './time-range.ts'

/** Filters every view shares, named as the API's query parameters. */
export const FILTER_DIMENSIONS = [
  'model',
  'provider',
  'endpoint',
  'environment',
  'release',
  'tag',
  'userId',
  'sessionId',
  'kind',
  'status',
  'errorType',
] as const
export type FilterDimension = (typeof FILTER_DIMENSIONS)[number]

export const FILTER_LABELS: Record<FilterDimension, string> = {
  model: 'Model',
  provider: 'Provider',
  endpoint: 'Endpoint',
  environment: 'Environment',
  release: 'Release',
  tag: 'Tag',
  userId: 'User',
  sessionId: 'Session',
  kind: 'Kind',
  status: 'Status',
  errorType: 'Error type',
}

export type Filters = { readonly [K in FilterDimension]?: readonly string[] }

/** What the URL says every view shows: a time range, whether it follows now, and filters. */
export interface ViewQuery {
  range: TimeRange
  live: boolean
  filters: Filters
}

// Metrics pages count calls to models; agents, chains and tools wrap those calls, and counting
// them too would mix a whole request's latency with a model's.
export const MODEL_CALL_KINDS: readonly string[] = ['llm', 'embedding']

// Limits that keep a hand-edited URL from turning into a request the server refuses.
const VALUES_PER_FILTER_MAX = 20
const VALUE_LENGTH_MAX = 256

const SHARED_KEYS = ['range', 'from', 'to', 'live', ...FILTER_DIMENSIONS]

function readTime(value: string | null): number | null {
  if (value === null || value === '') return null
  const asNumber = Number(value)
  const ms = Number.isFinite(asNumber) ? asNumber : Date.parse(value)
  return Number.isFinite(ms) && ms >= 0 ? ms : null
}

function readRange(params: URLSearchParams): TimeRange {
  const fromMs = readTime(params.get('from'))
  const toMs = readTime(params.get('to'))
  if (fromMs !== null && toMs !== null && fromMs < toMs) return { kind: 'absolute', fromMs, toMs }
  const preset = params.get('range') ?? ''
  return isPresetId(preset) ? { kind: 'preset', preset } : DEFAULT_RANGE
}

/** The view a URL's query describes; anything malformed falls back to the default. */
export function parseView(params: URLSearchParams): ViewQuery {
  const range = readRange(params)
  const filters: { [K in FilterDimension]?: string[] } = {}
  for (const dimension of FILTER_DIMENSIONS) {
    const values = [...new Set(params.getAll(dimension))]
      .filter((value) => value !== '' && value.length <= VALUE_LENGTH_MAX)
      .slice(0, VALUES_PER_FILTER_MAX)
    if (values.length > 0) filters[dimension] = values
  }
  return { range, live: range.kind === 'preset' && params.get('live') !== '0', filters }
}

/** `params` with the view's keys replaced; page-specific keys (search, sort) stay. */
export function writeView(view: ViewQuery, params: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams(params)
  for (const key of SHARED_KEYS) out.delete(key)
  if (view.range.kind === 'absolute') {
    out.set('from', new Date(view.range.fromMs).toISOString())
    out.set('to', new Date(view.range.toMs).toISOString())
  } else {
    if (view.range.preset !== DEFAULT_PRESET) out.set('range', view.range.preset)
    if (!view.live) out.set('live', '0')
  }
  for (const dimension of FILTER_DIMENSIONS) {
    for (const value of view.filters[dimension] ?? []) out.append(dimension, value)
  }
  return out
}

export function withFilterValue(filters: Filters, dimension: FilterDimension, value: string) {
  const current = filters[dimension] ?? []
  if (value === '' || current.includes(value)) return filters
  return { ...filters, [dimension]: [...current, value] }
}

export function withoutFilterValue(filters: Filters, dimension: FilterDimension, value: string) {
  const rest = (filters[dimension] ?? []).filter((v) => v !== value)
  const out: { [K in FilterDimension]?: readonly string[] } = { ...filters }
  if (rest.length === 0) delete out[dimension]
  else out[dimension] = rest
  return out
}

/** The filter a metrics page applies: the user's, with model calls as the default kinds. */
export function metricsFilters(filters: Filters): Filters {
  return filters.kind === undefined ? { ...filters, kind: MODEL_CALL_KINDS } : filters
}

/** Query parameters of an API call over `window` with `filters` (values repeated, not joined). */
export function apiParams(filters: Filters, window: { fromMs: number; toMs: number }) {
  const params = new URLSearchParams()
  params.set('from', String(Math.floor(window.fromMs)))
  params.set('to', String(Math.ceil(window.toMs)))
  for (const dimension of FILTER_DIMENSIONS) {
    for (const value of filters[dimension] ?? []) params.append(dimension, value)
  }
  return params
}

/** Whether any filter is set. */
export function hasFilters(filters: Filters): boolean {
  return FILTER_DIMENSIONS.some((dimension) => (filters[dimension]?.length ?? 0) > 0)
}
