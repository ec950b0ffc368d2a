/**
 * OTLP requests as llmlens reads them, whatever the encoding: the protobuf and JSON decoders
 * both produce these plain shapes, and everything after decoding works on them alone.
 */

/**
 * An AnyValue made plain. A kvlist becomes an object without a prototype, so that a key such as
 * `__proto__` or `constructor` stays an ordinary key; bytes become base64 text.
 */
export type OtlpValue = string | number | boolean | null | OtlpValue[] | OtlpMap
export interface OtlpMap {
  [key: string]: OtlpValue
}

/** Attributes by key; a repeated key keeps its last value, as the OTLP spec says. */
export type Attributes = Map<string, OtlpValue>

export interface OtlpScope {
  name: string
  version: string
}

export interface OtlpEvent {
  name: string
  timeMs: number
  attributes: Attributes
}

/** Ids are lower-case hex of the bytes sent; an id of the wrong size is left for the mapper. */
export interface OtlpSpan {
  traceId: string
  spanId: string
  parentSpanId: string
  name: string
  /** OTLP SpanKind: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number
  startMs: number
  endMs: number
  attributes: Attributes
  events: OtlpEvent[]
  /** OTLP StatusCode: 0 unset, 1 ok, 2 error. */
  statusCode: number
  statusMessage: string
}

export interface OtlpLogRecord {
  traceId: string
  spanId: string
  /** `eventName`, or the `event.name` attribute that SDKs before OTLP 1.5 send instead. */
  eventName: string
  timeMs: number
  body: OtlpValue
  attributes: Attributes
}

export interface OtlpHistogramPoint {
  attributes: Attributes
  startMs: number
  timeMs: number
  count: number
  sum: number | null
  min: number | null
  max: number | null
  bucketCounts: number[]
  explicitBounds: number[]
}

export interface OtlpMetric {
  name: string
  unit: string
  /** Only histograms are read; other metric types are counted and skipped. */
  histogram: { temporality: number; points: OtlpHistogramPoint[] } | null
}

/** One resource and scope with its items, and where they sit in the request for messages. */
export interface OtlpBatch<T> {
  resource: Attributes
  scope: OtlpScope
  items: T[]
  /** e.g. `resourceSpans[0].scopeSpans[1]`; an item's path appends `.spans[k]`. */
  path: string
  itemsField: 'spans' | 'logRecords' | 'metrics'
}

/** A request that is not valid OTLP at all; answered 400 with this message. */
export class OtlpDecodeError extends Error {}
