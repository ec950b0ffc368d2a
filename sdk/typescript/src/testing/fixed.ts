import type { Clock } from '../clock.ts'
import type { IdGenerator } from '../ids.ts'

/** A clock that moves only when told: payload times are then exact. */
export function manualClock(startMs: number): Clock & { advance(ms: number): void } {
  let elapsedMs = 0
  return {
    wallMs: () => startMs + elapsedMs,
    monotonicMs: () => elapsedMs,
    advance(ms: number) {
      elapsedMs += ms
    },
  }
}

/** Ids from fixed lists, in order; the last one repeats. */
export function fixedIds(traceIds: string[], spanIds: string[]): IdGenerator {
  let trace = 0
  let span = 0
  return {
    traceId: () => traceIds[Math.min(trace++, traceIds.length - 1)] as string,
    spanId: () => spanIds[Math.min(span++, spanIds.length - 1)] as string,
  }
}

/** A `fetch` that keeps every ingest body and answers like a collector that accepts all. */
export function capturingFetch(): { fetch: typeof fetch; bodies: unknown[] } {
  const bodies: unknown[] = []
  const fetchFn = async (_input: RequestInfo | URL, init?: RequestInit) => {
    const raw = init?.body
    const text =
      typeof raw === 'string'
        ? raw
        : await new Response(
            new Blob([raw as Uint8Array<ArrayBuffer>])
              .stream()
              .pipeThrough(new DecompressionStream('gzip')),
          ).text()
    const body = JSON.parse(text) as { spans?: unknown[]; scores?: unknown[] }
    bodies.push(body)
    const accepted = (body.spans?.length ?? 0) + (body.scores?.length ?? 0)
    return Response.json({ accepted, rejected: [], warnings: [] })
  }
  return { fetch: fetchFn as typeof fetch, bodies }
}
