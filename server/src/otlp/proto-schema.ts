import protobuf from 'protobufjs/light.js'

/**
 * The OTLP messages llmlens reads and writes, declared for protobufjs's reflection decoder.
 *
 * Only the fields llmlens uses are declared: protobuf skips unknown fields by design, which is
 * also what OTLP asks of a receiver, so links, exemplars, profiles and the like cost nothing.
 * Names and field numbers follow opentelemetry-proto v1 (`opentelemetry/proto/{common,resource,
 * trace,logs,metrics,collector}/v1`) and `google/rpc/status.proto`; the tests decode bytes written
 * by the official exporters, so a wrong number here fails them.
 *
 * AnyValue's members sit in a oneof so that a present-but-empty value (`""`, `0`, `false`) is
 * still told apart from an absent one.
 */
const DESCRIPTOR = {
  nested: {
    AnyValue: {
      oneofs: {
        value: {
          oneof: [
            'stringValue',
            'boolValue',
            'intValue',
            'doubleValue',
            'arrayValue',
            'kvlistValue',
            'bytesValue',
          ],
        },
      },
      fields: {
        stringValue: { type: 'string', id: 1 },
        boolValue: { type: 'bool', id: 2 },
        intValue: { type: 'int64', id: 3 },
        doubleValue: { type: 'double', id: 4 },
        arrayValue: { type: 'ArrayValue', id: 5 },
        kvlistValue: { type: 'KeyValueList', id: 6 },
        bytesValue: { type: 'bytes', id: 7 },
      },
    },
    ArrayValue: { fields: { values: { rule: 'repeated', type: 'AnyValue', id: 1 } } },
    KeyValueList: { fields: { values: { rule: 'repeated', type: 'KeyValue', id: 1 } } },
    KeyValue: {
      fields: { key: { type: 'string', id: 1 }, value: { type: 'AnyValue', id: 2 } },
    },
    InstrumentationScope: {
      fields: {
        name: { type: 'string', id: 1 },
        version: { type: 'string', id: 2 },
      },
    },
    Resource: { fields: { attributes: { rule: 'repeated', type: 'KeyValue', id: 1 } } },

    ExportTraceServiceRequest: {
      fields: { resourceSpans: { rule: 'repeated', type: 'ResourceSpans', id: 1 } },
    },
    ResourceSpans: {
      fields: {
        resource: { type: 'Resource', id: 1 },
        scopeSpans: { rule: 'repeated', type: 'ScopeSpans', id: 2 },
      },
    },
    ScopeSpans: {
      fields: {
        scope: { type: 'InstrumentationScope', id: 1 },
        spans: { rule: 'repeated', type: 'Span', id: 2 },
      },
    },
    Span: {
      fields: {
        traceId: { type: 'bytes', id: 1 },
        spanId: { type: 'bytes', id: 2 },
        parentSpanId: { type: 'bytes', id: 4 },
        name: { type: 'string', id: 5 },
        kind: { type: 'int32', id: 6 },
        startTimeUnixNano: { type: 'fixed64', id: 7 },
        endTimeUnixNano: { type: 'fixed64', id: 8 },
        attributes: { rule: 'repeated', type: 'KeyValue', id: 9 },
        events: { rule: 'repeated', type: 'SpanEvent', id: 11 },
        status: { type: 'Status', id: 15 },
      },
    },
    SpanEvent: {
      fields: {
        timeUnixNano: { type: 'fixed64', id: 1 },
        name: { type: 'string', id: 2 },
        attributes: { rule: 'repeated', type: 'KeyValue', id: 3 },
      },
    },
    Status: { fields: { message: { type: 'string', id: 2 }, code: { type: 'int32', id: 3 } } },

    ExportLogsServiceRequest: {
      fields: { resourceLogs: { rule: 'repeated', type: 'ResourceLogs', id: 1 } },
    },
    ResourceLogs: {
      fields: {
        resource: { type: 'Resource', id: 1 },
        scopeLogs: { rule: 'repeated', type: 'ScopeLogs', id: 2 },
      },
    },
    ScopeLogs: {
      fields: {
        scope: { type: 'InstrumentationScope', id: 1 },
        logRecords: { rule: 'repeated', type: 'LogRecord', id: 2 },
      },
    },
    LogRecord: {
      fields: {
        timeUnixNano: { type: 'fixed64', id: 1 },
        body: { type: 'AnyValue', id: 5 },
        attributes: { rule: 'repeated', type: 'KeyValue', id: 6 },
        traceId: { type: 'bytes', id: 9 },
        spanId: { type: 'bytes', id: 10 },
        observedTimeUnixNano: { type: 'fixed64', id: 11 },
        eventName: { type: 'string', id: 12 },
      },
    },

    ExportMetricsServiceRequest: {
      fields: { resourceMetrics: { rule: 'repeated', type: 'ResourceMetrics', id: 1 } },
    },
    ResourceMetrics: {
      fields: {
        resource: { type: 'Resource', id: 1 },
        scopeMetrics: { rule: 'repeated', type: 'ScopeMetrics', id: 2 },
      },
    },
    ScopeMetrics: {
      fields: {
        scope: { type: 'InstrumentationScope', id: 1 },
        metrics: { rule: 'repeated', type: 'Metric', id: 2 },
      },
    },
    Metric: {
      fields: {
        name: { type: 'string', id: 1 },
        unit: { type: 'string', id: 3 },
        histogram: { type: 'Histogram', id: 9 },
      },
    },
    Histogram: {
      fields: {
        dataPoints: { rule: 'repeated', type: 'HistogramDataPoint', id: 1 },
        aggregationTemporality: { type: 'int32', id: 2 },
      },
    },
    HistogramDataPoint: {
      oneofs: {
        _sum: { oneof: ['sum'] },
        _min: { oneof: ['min'] },
        _max: { oneof: ['max'] },
      },
      fields: {
        startTimeUnixNano: { type: 'fixed64', id: 2 },
        timeUnixNano: { type: 'fixed64', id: 3 },
        count: { type: 'fixed64', id: 4 },
        sum: { type: 'double', id: 5 },
        bucketCounts: { rule: 'repeated', type: 'fixed64', id: 6 },
        explicitBounds: { rule: 'repeated', type: 'double', id: 7 },
        attributes: { rule: 'repeated', type: 'KeyValue', id: 9 },
        min: { type: 'double', id: 11 },
        max: { type: 'double', id: 12 },
      },
    },

    ExportTraceServiceResponse: {
      fields: { partialSuccess: { type: 'ExportTracePartialSuccess', id: 1 } },
    },
    ExportTracePartialSuccess: {
      fields: {
        rejectedSpans: { type: 'int64', id: 1 },
        errorMessage: { type: 'string', id: 2 },
      },
    },
    ExportLogsServiceResponse: {
      fields: { partialSuccess: { type: 'ExportLogsPartialSuccess', id: 1 } },
    },
    ExportLogsPartialSuccess: {
      fields: {
        rejectedLogRecords: { type: 'int64', id: 1 },
        errorMessage: { type: 'string', id: 2 },
      },
    },
    ExportMetricsServiceResponse: {
      fields: { partialSuccess: { type: 'ExportMetricsPartialSuccess', id: 1 } },
    },
    ExportMetricsPartialSuccess: {
      fields: {
        rejectedDataPoints: { type: 'int64', id: 1 },
        errorMessage: { type: 'string', id: 2 },
      },
    },
    /** google.rpc.Status, the body of every OTLP/HTTP error reply. */
    RpcStatus: {
      fields: { code: { type: 'int32', id: 1 }, message: { type: 'string', id: 2 } },
    },
  },
}

const root = protobuf.Root.fromJSON(DESCRIPTOR)

/** The message types by name, each resolved once at start. */
export const OTLP_TYPES = {
  traceRequest: root.lookupType('ExportTraceServiceRequest'),
  logsRequest: root.lookupType('ExportLogsServiceRequest'),
  metricsRequest: root.lookupType('ExportMetricsServiceRequest'),
  traceResponse: root.lookupType('ExportTraceServiceResponse'),
  logsResponse: root.lookupType('ExportLogsServiceResponse'),
  metricsResponse: root.lookupType('ExportMetricsServiceResponse'),
  status: root.lookupType('RpcStatus'),
}
