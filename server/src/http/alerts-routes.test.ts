import { describe, expect, test } from 'bun:test'
import type { AlertRule, AlertRules } from '@llmlens/spec'
import Ajv2020 from 'ajv/dist/2020'
import { Alerts } from '../alerts/alerts.ts'
import { WebhookAllowList } from '../alerts/allow-list.ts'
import { harness } from '../testing/harness.ts'
import { createApp } from './app.ts'

const KEY = 'k-0123456789abcdef'
const RULE = {
  id: 'p95',
  name: 'p95 latency above 2 s',
  metric: 'latencyMs.p95',
  condition: { type: 'threshold', op: '>', value: 2000 },
  filter: { model: ['gpt-4o'] },
  webhooks: ['http://127.0.0.1:9999/hook'],
}

const auth = { authorization: `Bearer ${KEY}` }

describe('/api/v1/alerts/rules', () => {
  test('a rule is added, listed with its state, and deleted', async () => {
    const h = harness({ webhookAllow: '127.0.0.1' })

    const added = await h.post('/api/v1/alerts/rules', RULE)
    expect(added).toEqual({
      status: 200,
      body: { ...RULE, groupBy: ['model'], windowMs: 300_000, cooldownMs: 900_000, minCount: 20 },
    })
    const listed = (await h.json('/api/v1/alerts/rules')).body as AlertRules
    expect(listed.rules.map((r) => [r.id, r.source, r.state, r.since])).toEqual([
      ['p95', 'api', 'ok', null],
    ])

    const deleted = await h.json('/api/v1/alerts/rules/p95', { method: 'DELETE' })
    expect(deleted).toEqual({ status: 200, body: { deleted: 'p95' } })
    expect(((await h.json('/api/v1/alerts/rules')).body as AlertRules).rules).toEqual([])
  })

  test('replies validate against the documented schemas', async () => {
    const h = harness({ webhookAllow: '127.0.0.1' })
    await h.post('/api/v1/alerts/rules', RULE)
    const doc = (await h.json('/api/v1/openapi.json')).body as {
      paths: Record<
        string,
        Record<
          string,
          { responses: Record<string, { content: Record<string, { schema: object }> }> }
        >
      >
    }
    const check = async (path: string, method: string, url: string) => {
      const schema =
        doc.paths[path]?.[method]?.responses['200']?.content['application/json']?.schema
      const validate = new Ajv2020({ strict: false, validateFormats: false }).compile(
        schema as object,
      )
      const reply = await h.json(url)
      expect([url, reply.status, validate(reply.body), validate.errors ?? null]).toEqual([
        url,
        200,
        true,
        null,
      ])
    }
    await check('/api/v1/alerts/rules', 'get', '/api/v1/alerts/rules')
    await check('/api/v1/alerts/history', 'get', '/api/v1/alerts/history?from=0')
  })

  test('a bad rule is refused with every problem named', async () => {
    const h = harness({ webhookAllow: '127.0.0.1' })
    const reply = await h.post('/api/v1/alerts/rules', {
      ...RULE,
      condition: { type: 'threshold', op: '>' },
      webhooks: ['http://169.254.169.254/latest/meta-data'],
    })
    expect(reply).toEqual({
      status: 400,
      body: {
        error:
          'body.condition.value must be a number (actual: undefined); body.webhooks[0] is refused: 169.254.169.254 is not on LLMLENS_WEBHOOK_ALLOW (127.0.0.1)',
      },
    })
    expect(await h.post('/api/v1/alerts/rules', '{ nope')).toMatchObject({ status: 400 })
  })

  test('a duplicate id is a 409, an unknown one a 404, a file rule cannot be deleted', async () => {
    const h = harness({ webhookAllow: '127.0.0.1' })
    await h.post('/api/v1/alerts/rules', RULE)
    expect(await h.post('/api/v1/alerts/rules', RULE)).toEqual({
      status: 409,
      body: { error: 'an alert rule with id "p95" exists already' },
    })
    expect(await h.json('/api/v1/alerts/rules/nope', { method: 'DELETE' })).toEqual({
      status: 404,
      body: { error: 'no alert rule has id "nope"' },
    })

    const fileRule = {
      ...(RULE as unknown as AlertRule),
      id: 'from-file',
      groupBy: [],
      windowMs: 60_000,
      cooldownMs: 0,
      minCount: 1,
      filter: {},
    }
    const alerts = new Alerts({
      store: h.store,
      hub: h.hub,
      log: h.log,
      allow: WebhookAllowList.parse('127.0.0.1'),
      fileRules: [fileRule],
    })
    const app = createApp({
      store: h.store,
      ingest: (() => ({})) as never,
      hub: h.hub,
      log: h.log,
      apiKeys: [],
      bodyBytesMax: 1024,
      version: 't',
      alerts,
    })
    const refused = await app.request('/api/v1/alerts/rules/from-file', { method: 'DELETE' })
    expect(refused.status).toBe(409)
    expect(((await refused.json()) as { error: string }).error).toContain(
      'comes from the alerts file',
    )
  })

  test('with API keys configured, changing rules needs one', async () => {
    const h = harness({ apiKeys: [KEY], webhookAllow: '127.0.0.1' })
    expect((await h.post('/api/v1/alerts/rules', RULE)).status).toBe(401)
    expect((await h.json('/api/v1/alerts/rules/p95', { method: 'DELETE' })).status).toBe(401)
    expect((await h.post('/api/v1/alerts/rules', RULE, auth)).status).toBe(200)
    expect(
      (await h.json('/api/v1/alerts/rules/p95', { method: 'DELETE', headers: auth })).status,
    ).toBe(200)
  })

  test('without an allow-list no webhook is accepted', async () => {
    const h = harness()
    const reply = await h.post('/api/v1/alerts/rules', RULE)
    expect(reply.status).toBe(400)
    expect((reply.body as { error: string }).error).toBe(
      'body.webhooks[0] is refused: webhooks are off: no host is allowed; add 127.0.0.1:9999 to LLMLENS_WEBHOOK_ALLOW',
    )
  })
})
