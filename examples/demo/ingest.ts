import type { IngestBatch } from './wire.ts'

// The server answers health checks at once; two seconds means it is not there.
const HEALTH_TIMEOUT_MS = 2000
const INGEST_TIMEOUT_MS = 30_000

export interface IngestResult {
  accepted: number
  rejected: number
  /** The first rejection, as the server explained it, to show what was wrong. */
  firstRejection: string | null
}

/** A failed ingest call, with a message that says what to do about it. */
export class IngestError extends Error {}

export interface IngestClient {
  post(batch: IngestBatch): Promise<IngestResult>
}

function headersFor(apiKey: string | null): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (apiKey !== null) headers.authorization = `Bearer ${apiKey}`
  return headers
}

/** Null when the llmlens server answers its health check, else what went wrong and the fix. */
export async function checkServer(baseUrl: string): Promise<string | null> {
  const url = new URL('/healthz', baseUrl).toString()
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) })
    if (response.ok) return null
    const status = response.status
    return `${baseUrl} answered ${status} to GET /healthz; is it an llmlens server?`
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    return (
      `cannot reach the llmlens server at ${baseUrl} (${reason}).\n` +
      'Start it in another terminal with `npm start`, or point LLMLENS_URL (or --url) at a ' +
      'running server.'
    )
  }
}

/** Posts ingest bodies as JSON to `POST /api/v1/ingest`. */
export function createIngestClient(baseUrl: string, apiKey: string | null): IngestClient {
  const url = new URL('/api/v1/ingest', baseUrl).toString()

  return {
    async post(batch: IngestBatch): Promise<IngestResult> {
      let response: Response
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: headersFor(apiKey),
          body: JSON.stringify(batch),
          signal: AbortSignal.timeout(INGEST_TIMEOUT_MS),
        })
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error)
        throw new IngestError(`cannot reach ${url} (${reason}); is the server still running?`)
      }
      if (response.status === 401) {
        throw new IngestError(
          `${url} refused the API key (401): set LLMLENS_API_KEY to one of the server's ` +
            'LLMLENS_API_KEYS.',
        )
      }
      if (!response.ok) {
        const body = (await response.text()).slice(0, 300)
        throw new IngestError(`${url} answered ${response.status}: ${body}`)
      }
      return readResult(await response.json())
    },
  }
}

function readResult(body: unknown): IngestResult {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {}
  const rejected = Array.isArray(record.rejected) ? record.rejected : []
  return {
    accepted: typeof record.accepted === 'number' ? record.accepted : 0,
    rejected: rejected.length,
    firstRejection: rejected.length > 0 ? JSON.stringify(rejected[0]) : null,
  }
}
