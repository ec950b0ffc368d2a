import { loadConfig } from '@llmlens/server/src/config/config.ts'
import { createApp } from '@llmlens/server/src/http/app.ts'
import { createIngest } from '@llmlens/server/src/ingest/ingest.ts'
import { createLogger } from '@llmlens/server/src/log.ts'
import { createPricer } from '@llmlens/server/src/pricing/index.ts'
import { Hub } from '@llmlens/server/src/realtime/hub.ts'
import { startServer } from '@llmlens/server/src/server.ts'
import { SqliteStore } from '@llmlens/server/src/store/sqlite/sqlite-store.ts'

/** What a benchmark needs of a listening server. */
export interface BenchServer {
  url: string
  stop(): Promise<void>
}

/**
 * The real server on a free loopback port over its own SQLite file, configured the way an
 * operator would (through loadConfig, environment ignored), quiet below warn.
 */
export function startBenchServer(dbPath: string): BenchServer {
  const argv = ['--host', '127.0.0.1', '--port', '0', '--db', dbPath, '--log-level', 'warn']
  const config = loadConfig({}, argv)
  return startServer(config, createLogger({ level: config.logLevel }))
}

const BODY_BYTES_MAX = 32 * 1024 * 1024

function listen(fetch: (request: Request) => Response | Promise<Response>, close = () => {}) {
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    fetch,
    maxRequestBodySize: BODY_BYTES_MAX * 2,
  })
  return {
    url: `http://127.0.0.1:${server.port}`,
    async stop() {
      await server.stop(false)
      close()
    },
  }
}

/**
 * The same app and ingest pipeline as the real server, with a store whose write commits nothing:
 * what HTTP ingest costs apart from SQLite. Only `write` is replaced, the one method ingest calls.
 */
export function startNoStoreServer(): BenchServer {
  const store = new SqliteStore({ path: ':memory:' })
  store.write = (spans) => ({ newSpans: [...spans], newScores: [] })
  const log = createLogger({ level: 'warn' })
  const hub = new Hub()
  const ingest = createIngest({ store, pricer: createPricer(), hub, log })
  const app = createApp({
    store,
    ingest,
    hub,
    log,
    version: 'bench',
    apiKeys: [],
    bodyBytesMax: BODY_BYTES_MAX,
  })
  return listen(app.fetch, () => store.close())
}

/**
 * Bun.serve reading each body whole and answering a fixed ingest reply: the HTTP transport's own
 * cost for bodies of this size, with the client in the same process, and nothing else.
 */
export function startTransportServer(spansPerBatch: number): BenchServer {
  const reply = JSON.stringify({ accepted: spansPerBatch, rejected: [], warnings: [] })
  return listen(async (request) => {
    await request.arrayBuffer()
    return new Response(reply, { headers: { 'content-type': 'application/json' } })
  })
}

/** Runs `fn` against a started server and always stops it. */
export async function withServer<T>(
  server: BenchServer,
  fn: (server: BenchServer) => Promise<T>,
): Promise<T> {
  try {
    return await fn(server)
  } finally {
    await server.stop()
  }
}
