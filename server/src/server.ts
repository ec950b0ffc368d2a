import type { Server } from 'bun'
import type { Config } from './config/config.ts'
import { createApp } from './http/app.ts'
import type { StreamOptions } from './http/stream-route.ts'
import { createIngest } from './ingest/ingest.ts'
import type { Logger } from './log.ts'
import { createPricer, loadPriceOverrides } from './pricing/index.ts'
import { Hub } from './realtime/hub.ts'
import { type Retention, startRetention } from './store/retention.ts'
import { SqliteStore } from './store/sqlite/sqlite-store.ts'

export const VERSION = '0.1.0'

export interface RunningServer {
  url: string
  port: number
  store: SqliteStore
  hub: Hub
  /** Stops taking requests, lets in-flight ones finish, then closes the store. */
  stop(): Promise<void>
}

/** Wires config to store, pricing, ingest, live hub and HTTP, and starts listening. */
export function startServer(config: Config, log: Logger, stream?: StreamOptions): RunningServer {
  const store = new SqliteStore({ path: config.dbPath })
  const overrides = config.pricesPath === null ? [] : loadPriceOverrides(config.pricesPath)
  const pricer = createPricer({ overrides })
  const hub = new Hub()
  const ingest = createIngest({ store, pricer, hub, log })
  const app = createApp({
    store,
    ingest,
    hub,
    log,
    version: VERSION,
    apiKeys: config.apiKeys,
    bodyBytesMax: config.bodyBytesMax,
    stream,
  })
  const retention: Retention | null =
    config.retentionDays === null ? null : startRetention(store, config.retentionDays, log)

  const server: Server<undefined> = Bun.serve({
    port: config.port,
    hostname: config.host,
    fetch: app.fetch,
    // Above the decompressed limit so that our handler, not Bun, answers an oversized body with
    // a message that gives the limit; a compressed body is never larger than this.
    maxRequestBodySize: config.bodyBytesMax * 2 + 1024 * 1024,
    idleTimeout: 0,
  })
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${server.port}`
  log.info('llmlens started', {
    url,
    db: config.dbPath,
    schema: store.schema.to,
    auth: config.apiKeys.length > 0 ? 'api keys' : 'none (loopback only)',
    bodyBytesMax: config.bodyBytesMax,
    retentionDays: config.retentionDays ?? 'forever',
    priceOverrides: overrides.length,
  })

  let stopping: Promise<void> | null = null
  return {
    url,
    port: server.port ?? config.port,
    store,
    hub,
    stop() {
      stopping ??= (async () => {
        retention?.stop()
        hub.closeAll()
        await server.stop(false)
        store.close()
        log.info('llmlens stopped')
      })()
      return stopping
    },
  }
}
