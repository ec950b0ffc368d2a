import { OTLP_LIMITS } from './limits.ts'
import {
  type Attributes,
  type OtlpBatch,
  OtlpDecodeError,
  type OtlpEvent,
  type OtlpHistogramPoint,
  type OtlpLogRecord,
  type OtlpMap,
  type OtlpMetric,
  type OtlpSpan,
  type OtlpValue,
} from './model.ts'
import { bytesToHex, nanosToMs } from './numbers.ts'

/**
 * OTLP/JSON, read leniently where the spec allows it: ids in hex of any case, 64-bit integers as
 * strings or numbers, unknown fields ignored, absent fields at their zero value. A field of the
 * wrong type is a 400 that names its path.
 */

type JsonObject = Record<string, unknown>

function fail(path: string, expected: string, actual: unknown): never {
  const shown = JSON.stringify(actual) ?? String(actual)
  const clipped = shown.length > 60 ? `${shown.slice(0, 57)}...` : shown
  throw new OtlpDecodeError(`${path} must be ${expected} (actual: ${clipped})`)
}

function object(value: unknown, path: string): JsonObject | null {
  if (value === undefined || value === null) return null
  if (typeof value !== 'object' || Array.isArray(value)) fail(path, 'an object', value)
  return value as JsonObject
}

function array(value: unknown, path: string): unknown[] {
  if (value === undefined || value === null) return []
  if (!Array.isArray(value)) fail(path, 'an array', value)
  return value
}

function string(value: unknown, path: string): string {
  if (value === undefined || value === null) return ''
  if (typeof value !== 'string') fail(path, 'a string', value)
  return value
}

const INTEGER = /^-?\d+$/

/** proto3 JSON writes 64-bit integers as decimal strings; the JS exporter sends numbers. */
function integer(value: unknown, path: string): number {
  if (value === undefined || value === null) return 0
  if (typeof value === 'number' && Number.isInteger(value)) return value
  if (typeof value === 'string' && INTEGER.test(value)) return Number(value)
  fail(path, 'an integer (a number or a decimal string)', value)
}

function nanosMs(value: unknown, path: string): number {
  if (value === undefined || value === null) return 0
  if (typeof value === 'string' && INTEGER.test(value)) return nanosToMs(BigInt(value))
  if (typeof value === 'number' && Number.isSafeInteger(value)) return nanosToMs(BigInt(value))
  if (typeof value === 'number' && Number.isFinite(value)) return value / 1e6
  fail(path, 'epoch nanoseconds (a decimal string or a number)', value)
}

const SPECIAL_DOUBLES: Record<string, number> = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
}

function double(value: unknown, path: string): number {
  if (typeof value === 'number') return value
  if (typeof value === 'string') {
    const special = SPECIAL_DOUBLES[value]
    if (special !== undefined) return special
    const parsed = Number(value)
    if (value.trim() !== '' && !Number.isNaN(parsed)) return parsed
  }
  fail(path, 'a number', value)
}

function optionalDouble(value: unknown, path: string): number | null {
  return value === undefined || value === null ? null : double(value, path)
}

const HEX_ID = /^[0-9a-fA-F]*$/
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

/**
 * An id as lower-case hex. OTLP/JSON sends hex; a few exporters follow the plain proto3 JSON
 * mapping and send base64 instead, which is read when it decodes to exactly `bytes` bytes.
 * Anything else is passed on as sent for the mapper to reject with the span's path.
 */
function id(value: unknown, path: string, bytes: number): string {
  const text = string(value, path)
  if (HEX_ID.test(text)) return text.toLowerCase()
  if (BASE64.test(text)) {
    const decoded = Buffer.from(text, 'base64')
    if (decoded.length === bytes) return bytesToHex(decoded)
  }
  return text
}

function anyValue(value: unknown, path: string, depth: number): OtlpValue {
  const v = object(value, path)
  if (v === null) return null
  if ('stringValue' in v) return string(v.stringValue, `${path}.stringValue`)
  if ('boolValue' in v) {
    if (typeof v.boolValue !== 'boolean') fail(`${path}.boolValue`, 'true or false', v.boolValue)
    return v.boolValue
  }
  if ('intValue' in v) return integer(v.intValue, `${path}.intValue`)
  if ('doubleValue' in v) return double(v.doubleValue, `${path}.doubleValue`)
  if ('bytesValue' in v) return string(v.bytesValue, `${path}.bytesValue`)
  if (!('arrayValue' in v) && !('kvlistValue' in v)) return null

  if (depth >= OTLP_LIMITS.valueDepthMax) {
    throw new OtlpDecodeError(
      `${path} nests values deeper than ${OTLP_LIMITS.valueDepthMax} levels`,
    )
  }
  if ('arrayValue' in v) {
    const values = array(object(v.arrayValue, `${path}.arrayValue`)?.values, `${path}.values`)
    return values.map((item, i) => anyValue(item, `${path}.arrayValue.values[${i}]`, depth + 1))
  }
  const values = array(object(v.kvlistValue, `${path}.kvlistValue`)?.values, `${path}.values`)
  return keyValues(values, `${path}.kvlistValue.values`, depth + 1)
}

function keyValues(values: unknown[], path: string, depth: number): OtlpMap {
  const map: OtlpMap = Object.create(null)
  for (const [i, item] of values.entries()) {
    const kv = object(item, `${path}[${i}]`)
    if (kv === null) continue
    map[string(kv.key, `${path}[${i}].key`)] = anyValue(kv.value, `${path}[${i}].value`, depth)
  }
  return map
}

function attributes(value: unknown, path: string): Attributes {
  const map: Attributes = new Map()
  for (const [i, item] of array(value, path).entries()) {
    const kv = object(item, `${path}[${i}]`)
    if (kv === null) continue
    map.set(string(kv.key, `${path}[${i}].key`), anyValue(kv.value, `${path}[${i}].value`, 0))
  }
  return map
}

interface Levels<T> {
  resource: string
  scope: string
  items: OtlpBatch<T>['itemsField']
}

function batches<T>(
  body: unknown,
  levels: Levels<T>,
  convert: (item: JsonObject, path: string) => T,
): OtlpBatch<T>[] {
  const root = object(body, 'body')
  if (root === null) fail('body', 'an object', body)
  const out: OtlpBatch<T>[] = []
  for (const [r, rawResource] of array(root[levels.resource], levels.resource).entries()) {
    const resourcePath = `${levels.resource}[${r}]`
    const entry = object(rawResource, resourcePath) ?? {}
    const resource = object(entry.resource, `${resourcePath}.resource`)
    const resourceAttributes = attributes(
      resource?.attributes,
      `${resourcePath}.resource.attributes`,
    )
    for (const [s, rawScope] of array(
      entry[levels.scope],
      `${resourcePath}.${levels.scope}`,
    ).entries()) {
      const path = `${resourcePath}.${levels.scope}[${s}]`
      const scopeEntry = object(rawScope, path) ?? {}
      const scope = object(scopeEntry.scope, `${path}.scope`)
      const items = array(scopeEntry[levels.items], `${path}.${levels.items}`).map((item, i) => {
        const itemPath = `${path}.${levels.items}[${i}]`
        return convert(object(item, itemPath) ?? {}, itemPath)
      })
      out.push({
        resource: resourceAttributes,
        scope: {
          name: string(scope?.name, `${path}.scope.name`),
          version: string(scope?.version, `${path}.scope.version`),
        },
        items,
        path,
        itemsField: levels.items,
      })
    }
  }
  return out
}

function span(s: JsonObject, path: string): OtlpSpan {
  const events: OtlpEvent[] = array(s.events, `${path}.events`).map((raw, e) => {
    const eventPath = `${path}.events[${e}]`
    const event = object(raw, eventPath) ?? {}
    return {
      name: string(event.name, `${eventPath}.name`),
      timeMs: nanosMs(event.timeUnixNano, `${eventPath}.timeUnixNano`),
      attributes: attributes(event.attributes, `${eventPath}.attributes`),
    }
  })
  const status = object(s.status, `${path}.status`)
  return {
    traceId: id(s.traceId, `${path}.traceId`, 16),
    spanId: id(s.spanId, `${path}.spanId`, 8),
    parentSpanId: id(s.parentSpanId, `${path}.parentSpanId`, 8),
    name: string(s.name, `${path}.name`),
    kind: integer(s.kind, `${path}.kind`),
    startMs: nanosMs(s.startTimeUnixNano, `${path}.startTimeUnixNano`),
    endMs: nanosMs(s.endTimeUnixNano, `${path}.endTimeUnixNano`),
    attributes: attributes(s.attributes, `${path}.attributes`),
    events,
    statusCode: integer(status?.code, `${path}.status.code`),
    statusMessage: string(status?.message, `${path}.status.message`),
  }
}

/** A parsed OTLP/JSON ExportTraceServiceRequest as batches of spans; throws OtlpDecodeError. */
export function decodeTracesJson(body: unknown): OtlpBatch<OtlpSpan>[] {
  return batches(body, { resource: 'resourceSpans', scope: 'scopeSpans', items: 'spans' }, span)
}

function logRecord(record: JsonObject, path: string): OtlpLogRecord {
  const attrs = attributes(record.attributes, `${path}.attributes`)
  const nameAttribute = attrs.get('event.name')
  const time = nanosMs(record.timeUnixNano, `${path}.timeUnixNano`)
  return {
    traceId: id(record.traceId, `${path}.traceId`, 16),
    spanId: id(record.spanId, `${path}.spanId`, 8),
    eventName:
      string(record.eventName, `${path}.eventName`) ||
      (typeof nameAttribute === 'string' ? nameAttribute : ''),
    timeMs: time > 0 ? time : nanosMs(record.observedTimeUnixNano, `${path}.observedTimeUnixNano`),
    body: anyValue(record.body, `${path}.body`, 0),
    attributes: attrs,
  }
}

/** A parsed OTLP/JSON ExportLogsServiceRequest as batches of records; throws OtlpDecodeError. */
export function decodeLogsJson(body: unknown): OtlpBatch<OtlpLogRecord>[] {
  const levels = { resource: 'resourceLogs', scope: 'scopeLogs', items: 'logRecords' } as const
  return batches(body, levels, logRecord)
}

function histogramPoint(point: JsonObject, path: string): OtlpHistogramPoint {
  return {
    attributes: attributes(point.attributes, `${path}.attributes`),
    startMs: nanosMs(point.startTimeUnixNano, `${path}.startTimeUnixNano`),
    timeMs: nanosMs(point.timeUnixNano, `${path}.timeUnixNano`),
    count: integer(point.count, `${path}.count`),
    sum: optionalDouble(point.sum, `${path}.sum`),
    min: optionalDouble(point.min, `${path}.min`),
    max: optionalDouble(point.max, `${path}.max`),
    bucketCounts: array(point.bucketCounts, `${path}.bucketCounts`).map((count, i) =>
      integer(count, `${path}.bucketCounts[${i}]`),
    ),
    explicitBounds: array(point.explicitBounds, `${path}.explicitBounds`).map((bound, i) =>
      double(bound, `${path}.explicitBounds[${i}]`),
    ),
  }
}

function metric(m: JsonObject, path: string): OtlpMetric {
  const histogram = object(m.histogram, `${path}.histogram`)
  return {
    name: string(m.name, `${path}.name`),
    unit: string(m.unit, `${path}.unit`),
    histogram:
      histogram === null
        ? null
        : {
            temporality: integer(
              histogram.aggregationTemporality,
              `${path}.histogram.aggregationTemporality`,
            ),
            points: array(histogram.dataPoints, `${path}.histogram.dataPoints`).map((raw, p) => {
              const pointPath = `${path}.histogram.dataPoints[${p}]`
              return histogramPoint(object(raw, pointPath) ?? {}, pointPath)
            }),
          },
  }
}

/** A parsed OTLP/JSON ExportMetricsServiceRequest as batches of metrics; throws OtlpDecodeError. */
export function decodeMetricsJson(body: unknown): OtlpBatch<OtlpMetric>[] {
  const levels = { resource: 'resourceMetrics', scope: 'scopeMetrics', items: 'metrics' } as const
  return batches(body, levels, metric)
}
