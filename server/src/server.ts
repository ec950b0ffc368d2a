import type { Server } from 'bun'
import { Alerts } from './alerts/alerts.ts'
import { WebhookAllowList } from './alerts/allow-list.ts'
import { loadAlertRulesFile } from './alerts/rules.ts'
import { LiveMonitor } from './analytics/live.ts'
import type { Config } from './config/config.ts'
import { createApp } from './http/app.ts'
import type { StreamOptions } from './http/stream-route.ts'
import { createIngest } from './ingest/ingest.ts'
import type { Logger } from './log.ts'
import { Admission } from './otlp/admission.ts'
import { type RunningOtlpGrpc, startOtlpGrpc } from './otlp/grpc-server.ts'
import { defaultAdmission } from './otlp/limits.ts'
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
  alerts: Alerts
  /** OTLP/gRPC once it listens; null when LLMLENS_GRPC_PORT is not set. Rejects if it cannot. */
  grpc: Promise<RunningOtlpGrpc | null>
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
  const allow = WebhookAllowList.parse(config.webhookAllow.join(','))
  const fileRules = config.alertsPath === null ? [] : loadAlertRulesFile(config.alertsPath, allow)
  const alerts = new Alerts({ store, hub, log, allow, fileRules })
  const monitor = new LiveMonitor({ store, hub, log, alerts })
  const admission = new Admission(defaultAdmission(config.bodyBytesMax))
  const app = createApp({
    store,
    ingest,
    hub,
    log,
    version: VERSION,
    apiKeys: config.apiKeys,
    bodyBytesMax: config.bodyBytesMax,
    stream,
    alerts,
    admission,
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
    alertRules: alerts.rules().length,
    alertsFile: config.alertsPath ?? 'none',
    webhookHosts: allow.size,
  })
  monitor.start()

  const grpc =
    config.grpcPort === null
      ? Promise.resolve(null)
      : startOtlpGrpc({
          host: config.host,
          port: config.grpcPort,
          apiKeys: config.apiKeys,
          bodyBytesMax: config.bodyBytesMax,
          admission,
          deps: { ingest, store },
          log,
        }).then((running) => {
          log.info('OTLP/gRPC listening', { port: running.port })
          return running
        })

  let stopping: Promise<void> | null = null
  return {
    url,
    port: server.port ?? config.port,
    store,
    hub,
    alerts,
    grpc,
    stop() {
      stopping ??= (async () => {
        await (await grpc.catch(() => null))?.stop()
        retention?.stop()
        monitor.stop()
        alerts.close()
        hub.closeAll()
        await server.stop(false)
        store.close()
        log.info('llmlens stopped')
      })()
      return stopping
    },
  }
}
