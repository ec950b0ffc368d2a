import { type LatencyPlan, sleepMs } from './latency.ts'

/** One server-sent event. `content` marks events that carry generated tokens. */
export interface StreamEvent {
  /** The `event:` field; OpenAI chat omits it, Anthropic and the Responses API name each one. */
  event?: string
  data: unknown
  content?: boolean
}

/** The pause before each event, in ms, following the latency plan. */
export function eventDelaysMs(events: StreamEvent[], plan: LatencyPlan): number[] {
  const contentCount = events.filter((event) => event.content === true).length
  const spreadMs = (plan.totalMs - plan.ttftMs) / Math.max(1, contentCount - 1)
  const chunkDelayMs = plan.chunkDelayMs ?? spreadMs

  // Everything up to the first token waits for the time to first token; later tokens are
  // spaced by the chunk delay; closing events follow the last token at once.
  let seenContent = false
  return events.map((event, index) => {
    if (event.content !== true) return index === 0 && contentCount === 0 ? plan.ttftMs : 0
    if (seenContent) return chunkDelayMs
    seenContent = true
    return plan.ttftMs
  })
}

function encodeEvent(event: StreamEvent): string {
  const data = typeof event.data === 'string' ? event.data : JSON.stringify(event.data)
  return event.event === undefined
    ? `data: ${data}\n\n`
    : `event: ${event.event}\ndata: ${data}\n\n`
}

/**
 * An SSE response that sends headers at once and each event on the plan's schedule,
 * stopping early when the client goes away.
 */
export function sseResponse(
  events: StreamEvent[],
  plan: LatencyPlan,
  signal: AbortSignal,
  headers: Headers,
): Response {
  const delaysMs = eventDelaysMs(events, plan)
  const encoder = new TextEncoder()
  let index = 0
  let cancelled = false

  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const event = events[index]
      if (event === undefined || cancelled || signal.aborted) {
        controller.close()
        return
      }
      await sleepMs(delaysMs[index] ?? 0, signal)
      index++
      if (cancelled) return
      controller.enqueue(encoder.encode(encodeEvent(event)))
    },
    cancel() {
      cancelled = true
    },
  })

  headers.set('content-type', 'text/event-stream; charset=utf-8')
  headers.set('cache-control', 'no-cache')
  return new Response(body, { status: 200, headers })
}
