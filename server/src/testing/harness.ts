import { Alerts } from '../alerts/alerts.ts'
import { WebhookAllowList } from '../alerts/allow-list.ts'
import type { WebhookOptions } from '../alerts/webhook.ts'
import { WebhookSender } from '../alerts/webhook.ts'
import { createApp } from '../http/app.ts'
import type { StreamOptions } from '../http/stream-route.ts'
import { createIngest } from '../ingest/ingest.ts'
import { memoryLogger } from '../log.ts'
import { createPricer } from '../pricing/index.ts'
import { Hub } from '../realtime/hub.ts'
import { SqliteStore } from '../store/sqlite/sqlite-store.ts'

export interface Harness {
  request(path: string, init?: RequestInit): Promise<Response>
  json(path: string, init?: RequestInit): Promise<{ status: number; body: unknown }>
  post(
    path: string,
    body: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: unknown }>
  store: SqliteStore
  hub: Hub
  log: ReturnType<typeof memoryLogger>
  alerts: Alerts
}

/** A whole server in-process on an in-memory store, driven through `app.request`. */
export function harness(
  options: {
    apiKeys?: string[]
    bodyBytesMax?: number
    stream?: StreamOptions
    /** Host patterns webhooks may go to, as LLMLENS_WEBHOOK_ALLOW takes them. */
    webhookAllow?: string
    webhooks?: WebhookOptions
  } = {},
): Harness {
  const store = new SqliteStore({ path: ':memory:' })
  const hub = new Hub()
  const log = memoryLogger()
  const ingest = createIngest({ store, pricer: createPricer(), hub, log })
  const allow = WebhookAllowList.parse(options.webhookAllow ?? '')
  const webhooks = new WebhookSender(allow, log, options.webhooks)
  const alerts = new Alerts({ store, hub, log, allow, webhooks })
  const app = createApp({
    store,
    ingest,
    hub,
    log,
    version: 'test',
    apiKeys: options.apiKeys ?? [],
    bodyBytesMax: options.bodyBytesMax ?? 32 * 1024 * 1024,
    stream: options.stream,
    alerts,
  })
  const request = async (path: string, init?: RequestInit) => app.request(path, init)
  const json = async (path: string, init?: RequestInit) => {
    const response = await request(path, init)
    return { status: response.status, body: await response.json() }
  }
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    json(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    })
  return { request, json, post, store, hub, log, alerts }
}
