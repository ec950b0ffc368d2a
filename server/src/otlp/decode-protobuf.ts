import protobuf, { type Type } from 'protobufjs/light.js'
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
  type OtlpScope,
  type OtlpSpan,
  type OtlpValue,
} from './model.ts'
import { bytesToHex, type LongLike, longNanosToMs, longToNumber } from './numbers.ts'
import { OTLP_TYPES } from './proto-schema.ts'

// What protobufjs decodes, typed as far as this file reads it. Absent repeated fields are empty
// arrays and absent scalars their zero value (defaults on the prototype), so no field is optional.
interface PbAnyValue {
  value?: string
  stringValue: string
  boolValue: boolean
  intValue: LongLike
  doubleValue: number
  arrayValue: { values: PbAnyValue[] } | null
  kvlistValue: { values: PbKeyValue[] } | null
  bytesValue: Uint8Array
}
interface PbKeyValue {
  key: string
  value: PbAnyValue | null
}
interface PbResource {
  attributes: PbKeyValue[]
}
type PbScope = { name: string; version: string } | null
interface PbScopeItems<T> {
  scope: PbScope
  items: T[]
}
interface PbSpan {
  traceId: Uint8Array
  spanId: Uint8Array
  parentSpanId: Uint8Array
  name: string
  kind: number
  startTimeUnixNano: LongLike
  endTimeUnixNano: LongLike
  attributes: PbKeyValue[]
  events: { timeUnixNano: LongLike; name: string; attributes: PbKeyValue[] }[]
  status: { code: number; message: string } | null
}
interface PbLogRecord {
  timeUnixNano: LongLike
  observedTimeUnixNano: LongLike
  body: PbAnyValue | null
  attributes: PbKeyValue[]
  traceId: Uint8Array
  spanId: Uint8Array
  eventName: string
}
interface PbHistogramPoint {
  startTimeUnixNano: LongLike
  timeUnixNano: LongLike
  count: LongLike
  sum?: number
  min?: number
  max?: number
  bucketCounts: LongLike[]
  explicitBounds: number[]
  attributes: PbKeyValue[]
}
interface PbMetric {
  name: string
  unit: string
  histogram: { dataPoints: PbHistogramPoint[]; aggregationTemporality: number } | null
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * protobufjs's reader with proto3's string check done by the runtime's own UTF-8 decoder. The
 * library checks in JavaScript, a character at a time, which was a sixth of the decode and
 * mapping time of a batch of GenAI spans, whose prompts and completions are long strings. The
 * rule stays proto3's: a string field that is not valid UTF-8 fails the whole request.
 */
class OtlpReader extends protobuf.Reader {
  override stringVerify(): string {
    const length = this.size()
    const start = this.pos
    const end = start + length
    if (end > this.len) {
      throw new RangeError(`index out of range: ${start} + ${length} > ${this.len}`)
    }
    this.pos = end
    try {
      return strictUtf8.decode(this.buf.subarray(start, end))
    } catch {
      throw new Error(`a string field at byte ${start} is not valid UTF-8`)
    }
  }
}

function decodeMessage(type: Type, bytes: Uint8Array, what: string): unknown {
  try {
    return type.decode(new OtlpReader(bytes))
  } catch (error) {
    // protobufjs says "index out of range" for a truncated body, "invalid wire type" for noise,
    // "max depth exceeded" past 100 nested messages, and the reader names a string that is not
    // UTF-8; each becomes a 400 naming the request.
    throw new OtlpDecodeError(
      `body is not a valid OTLP ${what} in protobuf: ${(error as Error).message}`,
    )
  }
}

/**
 * Thrown past the depth limit without a path: building each attribute's path up front costs a
 * string per attribute on every span, and only the rare failure needs it. Callers add it.
 */
class TooDeep extends Error {}

function value(pb: PbAnyValue | null, depth: number): OtlpValue {
  if (pb === null) return null
  switch (pb.value) {
    case 'stringValue':
      return pb.stringValue
    case 'boolValue':
      return pb.boolValue
    case 'intValue':
      return longToNumber(pb.intValue)
    case 'doubleValue':
      return pb.doubleValue
    case 'bytesValue':
      return Buffer.from(pb.bytesValue).toString('base64')
    case 'arrayValue':
    case 'kvlistValue':
      if (depth >= OTLP_LIMITS.valueDepthMax) throw new TooDeep()
      if (pb.value === 'arrayValue') {
        return (pb.arrayValue?.values ?? []).map((item) => value(item, depth + 1))
      }
      return kvlist(pb.kvlistValue?.values ?? [], depth + 1)
    default:
      return null
  }
}

function kvlist(values: PbKeyValue[], depth: number): OtlpMap {
  const map: OtlpMap = Object.create(null)
  for (const kv of values) map[kv.key] = value(kv.value, depth)
  return map
}

function tooDeep(path: string): OtlpDecodeError {
  return new OtlpDecodeError(`${path} nests values deeper than ${OTLP_LIMITS.valueDepthMax} levels`)
}

/** A value at `path`, which names it in the error when it nests too deep. */
function valueAt(pb: PbAnyValue | null, path: string): OtlpValue {
  try {
    return value(pb, 0)
  } catch (error) {
    throw error instanceof TooDeep ? tooDeep(path) : error
  }
}

function attributes(values: PbKeyValue[], path: string): Attributes {
  const map: Attributes = new Map()
  for (const kv of values) {
    try {
      map.set(kv.key, value(kv.value, 0))
    } catch (error) {
      throw error instanceof TooDeep ? tooDeep(`${path}.attributes["${kv.key}"]`) : error
    }
  }
  return map
}

function scopeOf(pb: PbScope): OtlpScope {
  return { name: pb?.name ?? '', version: pb?.version ?? '' }
}

/** Walks resource → scope → items, the same three levels in all three signals. */
function batches<T, P>(
  resources: { resource: PbResource | null; scopes: PbScopeItems<P>[] }[],
  fields: { resource: string; scope: string; items: OtlpBatch<T>['itemsField'] },
  convert: (item: P, path: string) => T,
): OtlpBatch<T>[] {
  const out: OtlpBatch<T>[] = []
  for (const [r, { resource, scopes }] of resources.entries()) {
    const resourcePath = `${fields.resource}[${r}]`
    const resourceAttributes = attributes(resource?.attributes ?? [], `${resourcePath}.resource`)
    for (const [s, scope] of scopes.entries()) {
      const path = `${resourcePath}.${fields.scope}[${s}]`
      out.push({
        resource: resourceAttributes,
        scope: scopeOf(scope.scope),
        items: scope.items.map((item, i) => convert(item, `${path}.${fields.items}[${i}]`)),
        path,
        itemsField: fields.items,
      })
    }
  }
  return out
}

function span(pb: PbSpan, path: string): OtlpSpan {
  const events: OtlpEvent[] = pb.events.map((event, e) => ({
    name: event.name,
    timeMs: longNanosToMs(event.timeUnixNano),
    attributes: attributes(event.attributes, `${path}.events[${e}]`),
  }))
  return {
    traceId: bytesToHex(pb.traceId),
    spanId: bytesToHex(pb.spanId),
    parentSpanId: bytesToHex(pb.parentSpanId),
    name: pb.name,
    kind: pb.kind,
    startMs: longNanosToMs(pb.startTimeUnixNano),
    endMs: longNanosToMs(pb.endTimeUnixNano),
    attributes: attributes(pb.attributes, path),
    events,
    statusCode: pb.status?.code ?? 0,
    statusMessage: pb.status?.message ?? '',
  }
}

/** ExportTraceServiceRequest bytes as batches of spans; throws OtlpDecodeError. */
export function decodeTracesProtobuf(bytes: Uint8Array): OtlpBatch<OtlpSpan>[] {
  const request = decodeMessage(OTLP_TYPES.traceRequest, bytes, 'ExportTraceServiceRequest') as {
    resourceSpans: {
      resource: PbResource | null
      scopeSpans: { scope: PbScope; spans: PbSpan[] }[]
    }[]
  }
  const resources = request.resourceSpans.map((rs) => ({
    resource: rs.resource,
    scopes: rs.scopeSpans.map((ss) => ({ scope: ss.scope, items: ss.spans })),
  }))
  return batches(
    resources,
    { resource: 'resourceSpans', scope: 'scopeSpans', items: 'spans' },
    span,
  )
}

function logRecord(pb: PbLogRecord, path: string): OtlpLogRecord {
  const attrs = attributes(pb.attributes, path)
  const nameAttribute = attrs.get('event.name')
  const time = longNanosToMs(pb.timeUnixNano)
  return {
    traceId: bytesToHex(pb.traceId),
    spanId: bytesToHex(pb.spanId),
    eventName: pb.eventName || (typeof nameAttribute === 'string' ? nameAttribute : ''),
    timeMs: time > 0 ? time : longNanosToMs(pb.observedTimeUnixNano),
    body: valueAt(pb.body, `${path}.body`),
    attributes: attrs,
  }
}

/** ExportLogsServiceRequest bytes as batches of log records; throws OtlpDecodeError. */
export function decodeLogsProtobuf(bytes: Uint8Array): OtlpBatch<OtlpLogRecord>[] {
  const request = decodeMessage(OTLP_TYPES.logsRequest, bytes, 'ExportLogsServiceRequest') as {
    resourceLogs: {
      resource: PbResource | null
      scopeLogs: { scope: PbScope; logRecords: PbLogRecord[] }[]
    }[]
  }
  const resources = request.resourceLogs.map((rl) => ({
    resource: rl.resource,
    scopes: rl.scopeLogs.map((sl) => ({ scope: sl.scope, items: sl.logRecords })),
  }))
  const fields = { resource: 'resourceLogs', scope: 'scopeLogs', items: 'logRecords' } as const
  return batches(resources, fields, logRecord)
}

function histogramPoint(pb: PbHistogramPoint, path: string): OtlpHistogramPoint {
  // Optional doubles have presence: protobufjs sets them as own properties only when sent.
  const optional = (name: 'sum' | 'min' | 'max') =>
    Object.hasOwn(pb, name) ? (pb[name] as number) : null
  return {
    attributes: attributes(pb.attributes, path),
    startMs: longNanosToMs(pb.startTimeUnixNano),
    timeMs: longNanosToMs(pb.timeUnixNano),
    count: longToNumber(pb.count),
    sum: optional('sum'),
    min: optional('min'),
    max: optional('max'),
    bucketCounts: pb.bucketCounts.map(longToNumber),
    explicitBounds: pb.explicitBounds,
  }
}

function metric(pb: PbMetric, path: string): OtlpMetric {
  const histogram = pb.histogram
  return {
    name: pb.name,
    unit: pb.unit,
    histogram:
      histogram === null
        ? null
        : {
            temporality: histogram.aggregationTemporality,
            points: histogram.dataPoints.map((point, p) =>
              histogramPoint(point, `${path}.histogram.dataPoints[${p}]`),
            ),
          },
  }
}

/** ExportMetricsServiceRequest bytes as batches of metrics; throws OtlpDecodeError. */
export function decodeMetricsProtobuf(bytes: Uint8Array): OtlpBatch<OtlpMetric>[] {
  const request = decodeMessage(
    OTLP_TYPES.metricsRequest,
    bytes,
    'ExportMetricsServiceRequest',
  ) as {
    resourceMetrics: {
      resource: PbResource | null
      scopeMetrics: { scope: PbScope; metrics: PbMetric[] }[]
    }[]
  }
  const resources = request.resourceMetrics.map((rm) => ({
    resource: rm.resource,
    scopes: rm.scopeMetrics.map((sm) => ({ scope: sm.scope, items: sm.metrics })),
  }))
  const fields = { resource: 'resourceMetrics', scope: 'scopeMetrics', items: 'metrics' } as const
  return batches(resources, fields, metric)
}
