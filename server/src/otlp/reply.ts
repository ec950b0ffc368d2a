import type { ExportResult } from './export-result.ts'
import { OTLP_TYPES } from './proto-schema.ts'
import type { OtlpFormat, OtlpSignal } from './signals.ts'

export const CONTENT_TYPES: Record<OtlpFormat, string> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
}

/**
 * The format a Content-Type asks for, or null. `application/protobuf` is the registered name of
 * the type some clients send; OTLP's own is `application/x-protobuf`.
 */
export function formatOf(contentType: string | undefined): OtlpFormat | null {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase()
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf'
  if (type === 'application/json') return 'json'
  return null
}

/**
 * The Export*ServiceResponse of a successful export. `partialSuccess` is set only when something
 * was rejected or deserves a warning, since OTLP says a full success leaves it unset.
 */
export function exportResponse(
  signal: OtlpSignal,
  format: OtlpFormat,
  result: ExportResult,
): Uint8Array | string {
  const partial = result.rejected > 0 || result.errorMessage !== ''
  if (format === 'json') {
    // proto3 JSON writes int64 as a decimal string.
    const partialSuccess = {
      [signal.rejectedField]: String(result.rejected),
      errorMessage: result.errorMessage,
    }
    return JSON.stringify(partial ? { partialSuccess } : {})
  }
  const message = partial
    ? {
        partialSuccess: {
          [signal.rejectedField]: result.rejected,
          errorMessage: result.errorMessage,
        },
      }
    : {}
  return signal.responseType.encode(message).finish()
}

/** gRPC codes for the HTTP statuses we answer; OTLP/HTTP clients ignore `code`, humans do not. */
const GRPC_CODE_BY_STATUS: Record<number, number> = {
  400: 3,
  401: 16,
  413: 8,
  415: 3,
  429: 8,
  500: 13,
  503: 14,
}

/** A google.rpc.Status error body, in the request's format. */
export function statusBody(
  format: OtlpFormat,
  status: number,
  message: string,
): Uint8Array | string {
  const code = GRPC_CODE_BY_STATUS[status] ?? 2
  if (format === 'json') return JSON.stringify({ code, message })
  return OTLP_TYPES.status.encode({ code, message }).finish()
}
