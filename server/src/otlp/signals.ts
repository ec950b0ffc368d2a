import type { Type } from 'protobufjs/light.js'
import type { Store } from '../store/types.ts'
import { decodeLogsJson, decodeMetricsJson, decodeTracesJson } from './decode-json.ts'
import {
  decodeLogsProtobuf,
  decodeMetricsProtobuf,
  decodeTracesProtobuf,
} from './decode-protobuf.ts'
import type { ExportResult } from './export-result.ts'
import { ingestLogs } from './ingest-logs.ts'
import { ingestMetrics } from './ingest-metrics.ts'
import { ingestTraces, type OtlpIngestDeps } from './ingest-traces.ts'
import { type OtlpBatch, OtlpDecodeError } from './model.ts'
import { OTLP_TYPES } from './proto-schema.ts'

export type OtlpFormat = 'protobuf' | 'json'

/** One OTLP signal end to end: how its request decodes, where it goes, how its reply reads. */
export interface OtlpSignal {
  name: 'traces' | 'logs' | 'metrics'
  /** The OTLP/HTTP path, and the gRPC service that serves the same export. */
  httpPath: string
  grpcService: string
  requestName: string
  /** Decodes and stores one export; throws OtlpDecodeError for a body that is not valid OTLP. */
  export(
    format: OtlpFormat,
    body: Uint8Array,
    deps: OtlpIngestDeps,
    receivedMs: number,
  ): ExportResult
  responseType: Type
  /** The count field of this signal's partial success. */
  rejectedField: 'rejectedSpans' | 'rejectedLogRecords' | 'rejectedDataPoints'
}

function parseJson(body: Uint8Array, requestName: string): unknown {
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body)
  } catch {
    throw new OtlpDecodeError('body is not valid UTF-8')
  }
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new OtlpDecodeError(
      `body is not a valid OTLP ${requestName} in JSON: ${(error as Error).message}`,
    )
  }
}

function decoder<T>(
  requestName: string,
  fromProtobuf: (body: Uint8Array) => OtlpBatch<T>[],
  fromJson: (body: unknown) => OtlpBatch<T>[],
) {
  return (format: OtlpFormat, body: Uint8Array): OtlpBatch<T>[] =>
    format === 'protobuf' ? fromProtobuf(body) : fromJson(parseJson(body, requestName))
}

const decodeTraces = decoder('ExportTraceServiceRequest', decodeTracesProtobuf, decodeTracesJson)
const decodeLogs = decoder('ExportLogsServiceRequest', decodeLogsProtobuf, decodeLogsJson)
const decodeMetrics = decoder(
  'ExportMetricsServiceRequest',
  decodeMetricsProtobuf,
  decodeMetricsJson,
)

const storeOf = (deps: { store: Store }) => deps.store

export const OTLP_SIGNALS: readonly OtlpSignal[] = [
  {
    name: 'traces',
    httpPath: '/v1/traces',
    grpcService: 'opentelemetry.proto.collector.trace.v1.TraceService',
    requestName: 'ExportTraceServiceRequest',
    export: (format, body, deps, receivedMs) =>
      ingestTraces(decodeTraces(format, body), deps, receivedMs),
    responseType: OTLP_TYPES.traceResponse,
    rejectedField: 'rejectedSpans',
  },
  {
    name: 'logs',
    httpPath: '/v1/logs',
    grpcService: 'opentelemetry.proto.collector.logs.v1.LogsService',
    requestName: 'ExportLogsServiceRequest',
    export: (format, body, deps, receivedMs) =>
      ingestLogs(decodeLogs(format, body), storeOf(deps), receivedMs),
    responseType: OTLP_TYPES.logsResponse,
    rejectedField: 'rejectedLogRecords',
  },
  {
    name: 'metrics',
    httpPath: '/v1/metrics',
    grpcService: 'opentelemetry.proto.collector.metrics.v1.MetricsService',
    requestName: 'ExportMetricsServiceRequest',
    export: (format, body, deps) => ingestMetrics(decodeMetrics(format, body), storeOf(deps)),
    responseType: OTLP_TYPES.metricsResponse,
    rejectedField: 'rejectedDataPoints',
  },
]
