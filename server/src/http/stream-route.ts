import { LIMITS } from '@llmlens/spec'
import type { Hono } from 'hono'
import { streamSSE } from 'hono/streaming'
import type { Hub, LiveEvent } from '../realtime/hub.ts'
import { parseQuery } from './params.ts'
import type { RouteDoc } from './route-docs.ts'

export const STREAM_DOCS: RouteDoc[] = [
  {
    method: 'get',
    path: '/api/v1/stream',
    summary: 'Server-Sent Events: span, score, anomaly and alert events as they happen',
    response: {
      contentType: 'text/event-stream',
      description: 'event: span|score|anomaly|alert, data: JSON',
    },
    errors: [400, 401],
  },
]

export interface StreamOptions {
  /** A comment line this often keeps proxies from closing an idle connection. */
  heartbeatMs: number
  /** Events a client may have waiting before it counts as too slow and is dropped. */
  queueMax: number
}

// One ingest request publishes all its spans and scores before a client can read any, so a queue
// shorter than one request (10,000 spans + 10,000 scores) would drop every client, fast or not.
export const STREAM_DEFAULTS: StreamOptions = {
  heartbeatMs: 15_000,
  queueMax: LIMITS.spansPerRequestMax + LIMITS.scoresPerRequestMax,
}

/**
 * One SSE connection per client. Events wait in a bounded queue while the socket drains; a
 * client that lets `queueMax` events pile up is disconnected rather than buffered forever,
 * and may reconnect and re-read what it missed from the query API.
 */
export function streamRoutes(app: Hono, hub: Hub, options: StreamOptions = STREAM_DEFAULTS): void {
  app.get('/api/v1/stream', (c) => {
    parseQuery(c.req.queries(), {})
    c.header('x-accel-buffering', 'no')
    return streamSSE(c, async (stream) => {
      const queue: LiveEvent[] = []
      let wake: (() => void) | null = null
      let open = true
      const stop = () => {
        open = false
        wake?.()
      }
      const unsubscribe = hub.subscribe({
        deliver(event) {
          if (queue.length >= options.queueMax) return false
          queue.push(event)
          wake?.()
          return true
        },
        close() {
          // Dropped for falling behind: free its queue now and end the response, rather than
          // waiting for the stalled client to read the event being written.
          queue.length = 0
          stop()
          stream.abort()
          void stream.close()
        },
      })
      stream.onAbort(stop)
      const heartbeat = setInterval(() => {
        if (queue.length === 0) void stream.write(': keep-alive\n\n')
      }, options.heartbeatMs)

      try {
        await stream.write(': connected\n\n')
        while (open) {
          const event = queue.shift()
          if (event === undefined) {
            await new Promise<void>((resolve) => {
              wake = resolve
            })
            wake = null
            continue
          }
          await stream.writeSSE({ event: event.type, data: event.json })
        }
      } finally {
        clearInterval(heartbeat)
        unsubscribe()
      }
    })
  })
}
