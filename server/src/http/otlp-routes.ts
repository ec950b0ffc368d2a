import type { Context, Hono } from 'hono'
import { IngestError } from '../ingest/ingest.ts'
import type { Logger } from '../log.ts'
import type { Admission } from '../otlp/admission.ts'
import type { OtlpIngestDeps } from '../otlp/ingest-traces.ts'
import { OtlpDecodeError } from '../otlp/model.ts'
import { CONTENT_TYPES, exportResponse, formatOf, statusBody } from '../otlp/reply.ts'
import { OTLP_SIGNALS, type OtlpFormat, type OtlpSignal } from '../otlp/signals.ts'
import { requireApiKey } from './auth.ts'
import { readBody } from './body.ts'
import { HttpError } from './errors.ts'
import type { RouteDoc } from './route-docs.ts'

export interface OtlpRouteDeps extends OtlpIngestDeps {
  apiKeys: readonly string[]
  bodyBytesMax: number
  admission: Admission
  log: Logger
}

const DOC_SUMMARIES: Record<OtlpSignal['name'], string> = {
  traces:
    'OTLP/HTTP traces: GenAI spans of OTel GenAI, OpenInference, OpenLLMetry and the Vercel AI ' +
    'SDK become llmlens spans; other spans keep the trace tree',
  logs: 'OTLP/HTTP logs: GenAI content events (gen_ai.*.message, gen_ai.choice) joined to their span',
  metrics:
    'OTLP/HTTP metrics: the gen_ai.client.token.usage and gen_ai.client.operation.duration histograms',
}

export const OTLP_DOCS: RouteDoc[] = OTLP_SIGNALS.map((signal) => ({
  method: 'post',
  path: signal.httpPath,
  summary: DOC_SUMMARIES[signal.name],
  response: {
    contentType: 'application/x-protobuf',
    description:
      `${signal.responseType.name} in the request's content type (application/x-protobuf or ` +
      `application/json), with partialSuccess.${signal.rejectedField} when items were not kept. ` +
      'Errors are a google.rpc.Status in the same type; 429 and 503 carry Retry-After',
  },
  errors: [400, 401, 413, 415, 429, 503],
}))

function reply(
  format: OtlpFormat,
  status: number,
  body: Uint8Array | string,
  headers: Record<string, string> = {},
): Response {
  // protobufjs hands back a Uint8Array over a plain ArrayBuffer; the cast only says so.
  return new Response(body as string | Uint8Array<ArrayBuffer>, {
    status,
    headers: { 'content-type': CONTENT_TYPES[format], ...headers },
  })
}

/** Parse, admit, decode, store, reply: one export, answered in the request's own encoding. */
async function handleExport(
  c: Context,
  signal: OtlpSignal,
  deps: OtlpRouteDeps,
  auth: ReturnType<typeof requireApiKey>,
) {
  const contentType = c.req.header('content-type')
  const format = formatOf(contentType)
  if (format === null) {
    const message = `content-type "${contentType ?? ''}" is not OTLP; send application/x-protobuf or application/json`
    return reply('json', 415, statusBody('json', 415, message))
  }

  let release = () => {}
  try {
    await auth(c, async () => {})
    const declared = Number(c.req.header('content-length') ?? 0)
    const admitted = deps.admission.enter(Number.isFinite(declared) ? declared : 0)
    if (!admitted.ok) {
      const retryAfter = { 'retry-after': String(admitted.retryAfterSeconds) }
      return reply(
        format,
        admitted.status,
        statusBody(format, admitted.status, admitted.message),
        retryAfter,
      )
    }
    release = admitted.ticket.release

    const body = await readBody(c.req.raw, deps.bodyBytesMax)
    admitted.ticket.resize(body.length)
    const result = signal.export(format, body, deps, Date.now())
    return reply(format, 200, exportResponse(signal, format, result))
  } catch (error) {
    if (error instanceof HttpError) {
      return reply(
        format,
        error.status,
        statusBody(format, error.status, error.message),
        error.headers,
      )
    }
    if (error instanceof OtlpDecodeError)
      return reply(format, 400, statusBody(format, 400, error.message))
    if (error instanceof IngestError) {
      return reply(format, error.status, statusBody(format, error.status, error.message))
    }
    deps.log.error('OTLP export failed', { signal: signal.name, error: String(error) })
    const message = 'internal error; the server log has the details'
    return reply(format, 500, statusBody(format, 500, message))
  } finally {
    release()
  }
}

/**
 * POST /v1/traces, /v1/logs and /v1/metrics, as OTLP/HTTP defines them. Every reply, errors
 * included, is in the request's encoding, so exporters can read it; the API key is checked here
 * rather than by middleware for the same reason.
 */
export function otlpRoutes(app: Hono, deps: OtlpRouteDeps): void {
  const auth = requireApiKey(deps.apiKeys)
  for (const signal of OTLP_SIGNALS) {
    app.post(signal.httpPath, (c) => handleExport(c, signal, deps, auth))
  }
}
