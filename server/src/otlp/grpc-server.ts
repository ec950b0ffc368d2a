import { timingSafeEqual } from 'node:crypto'
import * as grpc from '@grpc/grpc-js'
import type { Logger } from '../log.ts'
import type { Admission } from './admission.ts'
import type { OtlpIngestDeps } from './ingest-traces.ts'
import { OtlpDecodeError } from './model.ts'
import { exportResponse } from './reply.ts'
import { OTLP_SIGNALS, type OtlpSignal } from './signals.ts'

export interface OtlpGrpcOptions {
  host: string
  /** 4317 is OTLP/gRPC's registered port; 0 picks a free one. */
  port: number
  apiKeys: readonly string[]
  /** The largest message accepted, after gzip; the same limit as the HTTP body. */
  bodyBytesMax: number
  /** Shared with the HTTP routes, so the limits hold across both transports. */
  admission: Admission
  deps: OtlpIngestDeps
  log: Logger
}

export interface RunningOtlpGrpc {
  port: number
  stop(): Promise<void>
}

// The request bytes go to the same protobuf decoder as OTLP/HTTP, so gRPC's own (de)serialisers
// only pass the bytes through.
const passThrough = (bytes: Buffer) => bytes

type Reply = (error: grpc.ServiceError | null, value?: Buffer) => void

function failure(code: grpc.status, details: string): grpc.ServiceError {
  return Object.assign(new Error(details), { code, details, metadata: new grpc.Metadata() })
}

function authorised(accepted: readonly Buffer[], metadata: grpc.Metadata): boolean {
  if (accepted.length === 0) return true
  const header = String(metadata.get('authorization')[0] ?? '')
  const match = /^Bearer\s+(.+)$/i.exec(header.trim())
  if (match === null) return false
  const given = Buffer.from(match[1] as string)
  // Every key is compared in constant time, as on the HTTP side.
  let ok = false
  for (const key of accepted) {
    if (key.length === given.length && timingSafeEqual(key, given)) ok = true
  }
  return ok
}

function exportHandler(signal: OtlpSignal, options: OtlpGrpcOptions) {
  const keys = options.apiKeys.map((key) => Buffer.from(key))
  return (call: grpc.ServerUnaryCall<Buffer, Buffer>, reply: Reply) => {
    if (!authorised(keys, call.metadata)) {
      reply(
        failure(
          grpc.status.UNAUTHENTICATED,
          'missing or invalid API key: send authorization: Bearer <key>',
        ),
      )
      return
    }
    const admitted = options.admission.enter(call.request.length)
    // UNAVAILABLE is the code OTLP/gRPC exporters retry with backoff, the counterpart of 429/503.
    if (!admitted.ok) {
      reply(failure(grpc.status.UNAVAILABLE, admitted.message))
      return
    }
    try {
      const result = signal.export('protobuf', call.request, options.deps, Date.now())
      reply(null, Buffer.from(exportResponse(signal, 'protobuf', result)))
    } catch (error) {
      if (error instanceof OtlpDecodeError) {
        reply(failure(grpc.status.INVALID_ARGUMENT, error.message))
        return
      }
      options.log.error('OTLP/gRPC export failed', { signal: signal.name, error: String(error) })
      reply(failure(grpc.status.INTERNAL, 'internal error; the server log has the details'))
    } finally {
      admitted.ticket.release()
    }
  }
}

/**
 * OTLP/gRPC: the Export method of the trace, logs and metrics services, each feeding the same
 * pipeline as OTLP/HTTP. Runs on @grpc/grpc-js over Bun's node:http2, on its own port.
 */
export async function startOtlpGrpc(options: OtlpGrpcOptions): Promise<RunningOtlpGrpc> {
  const server = new grpc.Server({
    'grpc.max_receive_message_length': options.bodyBytesMax,
  })
  for (const signal of OTLP_SIGNALS) {
    const definition: grpc.ServiceDefinition = {
      Export: {
        path: `/${signal.grpcService}/Export`,
        requestStream: false,
        responseStream: false,
        requestSerialize: passThrough,
        requestDeserialize: passThrough,
        responseSerialize: passThrough,
        responseDeserialize: passThrough,
      },
    }
    server.addService(definition, { Export: exportHandler(signal, options) })
  }

  const address = `${options.host.includes(':') ? `[${options.host}]` : options.host}:${options.port}`
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    )
  })
  return {
    port,
    stop: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  }
}
