import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Anomalies, Anomaly, Compare, Drift } from '@llmlens/spec'
import type { Browser, Page } from 'playwright-core'
import { anomalyId } from '../src/lib/anomalies/describe.ts'
import { MARKED_METRICS_BY_CHART } from '../src/lib/anomalies/marks.ts'
import {
  allProblems,
  fillDemo,
  ingest,
  launchBrowser,
  type PageProblems,
  startServer,
  type TestServer,
  watch,
} from './harness.ts'

let browser: Browser
let demo: TestServer

beforeAll(async () => {
  ;[browser, demo] = await Promise.all([launchBrowser(), startServer()])
  await fillDemo(demo.url)
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await demo?.stop()
})

async function open(path: string): Promise<{ page: Page; problems: PageProblems }> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
  const problems = await watch(page)
  await page.goto(`${demo.url}${path}`)
  return { page, problems }
}

async function api<T>(path: string, params: Record<string, string | string[]>): Promise<T> {
  const query = new URLSearchParams()
  for (const [name, value] of Object.entries(params)) {
    for (const one of Array.isArray(value) ? value : [value]) query.append(name, one)
  }
  const response = await fetch(`${demo.url}${path}?${query}`)
  expect(response.status).toBe(200)
  return (await response.json()) as T
}

async function settled(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid="live-indicator"][data-status="live"]')
  await page.waitForLoadState('networkidle')
}

const MODEL_CALLS = { kind: ['llm', 'embedding'] }

/** The anomalies the Anomalies page asked for, read back from the window it shows. */
async function pageAnomalies(page: Page): Promise<Anomalies> {
  const summary = page.locator('[data-testid="anomalies-summary"]')
  return api<Anomalies>('/api/v1/anomalies', {
    from: (await summary.getAttribute('data-from')) ?? '',
    to: (await summary.getAttribute('data-to')) ?? '',
    stepMs: (await summary.getAttribute('data-step')) ?? '',
    ...MODEL_CALLS,
  })
}

describe('the Anomalies page', () => {
  test('lists what the API finds, newest first, and filters by severity and metric', async () => {
    const { page, problems } = await open('/anomalies')
    await page.waitForSelector('[data-testid="anomalies-summary"]')
    await settled(page)
    const found = await pageAnomalies(page)
    const rows = page.locator('[data-testid="anomaly-row"]')

    expect(found.anomalies.length).toBeGreaterThan(0)
    expect(found.anomalies.length).toBeLessThanOrEqual(200)
    const ids = await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-id')))
    expect(ids).toEqual(found.anomalies.map(anomalyId).reverse())

    await page.selectOption('[data-testid="anomaly-severity"]', 'critical')
    await page.waitForURL(/severity=critical/)
    const critical = found.anomalies.filter((a) => a.severity === 'critical').length
    expect(await rows.count()).toBe(critical)
    expect(new Set(await rows.evaluateAll((els) => els.map((el) => el.dataset.severity)))).toEqual(
      new Set(critical > 0 ? ['critical'] : []),
    )

    await page.selectOption('[data-testid="anomaly-severity"]', 'all')
    await page.selectOption('[data-testid="anomaly-metric"]', 'spanLatencyMs')
    await page.waitForURL(/metric=spanLatencyMs/)
    const calls = found.anomalies.filter((a) => a.metric === 'spanLatencyMs').length
    expect(calls).toBeGreaterThan(0)
    expect(await rows.count()).toBe(calls)
    expect(allProblems(problems)).toEqual([])
    await page.close()
  })

  test("an anomaly's detail draws its series over the baseline it was judged against", async () => {
    const { page: list } = await open('/anomalies')
    await list.waitForSelector('[data-testid="anomalies-summary"]')
    const found = await pageAnomalies(list)
    await list.close()
    const latency = found.anomalies.findLast(
      (a) => a.kind === 'bucket' && a.metric.startsWith('latency') && a.spanIds.length > 0,
    ) as Anomaly
    expect(latency).toBeDefined()

    const { page, problems } = await open(
      `/anomalies?${new URLSearchParams({ id: anomalyId(latency) })}`,
    )
    await page.waitForSelector('[data-testid="anomaly-detail-chart"] canvas')
    await page.waitForSelector('[data-testid="anomaly-call-link"]')
    await settled(page)
    const expected = Number(
      await page.locator('[data-testid="anomaly-chart"]').getAttribute('data-expected'),
    )

    // The baseline the page recomputes from the time series is the one the server judged by.
    expect(Math.abs(expected / latency.expected - 1)).toBeLessThan(1e-6)
    expect(await page.locator('[data-testid="anomaly-detail"]').getAttribute('data-severity')).toBe(
      latency.severity,
    )
    expect(
      await page.locator('[data-testid="anomaly-detail-chart"] [data-testid="chart-mark"]').count(),
    ).toBe(1)
    const links = await page
      .locator('[data-testid="anomaly-call-link"]')
      .evaluateAll((as) =>
        as.map(
          (a) =>
            new URL((a as HTMLAnchorElement).href).pathname +
            new URL((a as HTMLAnchorElement).href).search,
        ),
      )
    expect(links.length).toBe(latency.spanIds.length)
    for (const [i, link] of links.entries()) {
      expect(link).toMatch(new RegExp(`^/traces/[0-9a-f]{32}\\?span=${latency.spanIds[i]}$`))
    }
    expect(allProblems(problems)).toEqual([])

    // A named call opens its trace with that span selected.
    await page.locator('[data-testid="anomaly-call-link"]').first().click()
    await page.waitForSelector('[data-testid="waterfall-row"][aria-current="true"]')
    expect(page.url()).toContain(`span=${latency.spanIds[0]}`)
    expect(await page.locator('[data-testid="span-detail"]').textContent()).toContain(
      latency.spanIds[0] as string,
    )
    await page.close()
  })
})

describe('anomaly markers on the overview', () => {
  test('each chart marks the anomalies of its metrics, one marker per chart bucket', async () => {
    const { page, problems } = await open('/?warnings=1')
    await page.waitForSelector('[data-testid="overview-anomalies"]')
    await page.waitForSelector('[data-testid="chart-latency"] [data-testid="chart-mark"]')
    await settled(page)
    const root = page.locator('[data-testid="overview"]')
    const [from, to, step] = await Promise.all(
      ['data-from', 'data-to', 'data-step'].map(async (name) =>
        Number(await root.getAttribute(name)),
      ),
    )
    const found = await api<Anomalies>('/api/v1/anomalies', {
      from: String(from),
      to: String(to),
      stepMs: '60000',
      spans: 'false',
      metric: Object.values(MARKED_METRICS_BY_CHART).flat(),
      ...MODEL_CALLS,
    })

    for (const [chart, metrics] of Object.entries(MARKED_METRICS_BY_CHART)) {
      const inChart = found.anomalies.filter((a) =>
        (metrics as readonly string[]).includes(a.metric),
      )
      const buckets = new Map<number, string>()
      for (const a of inChart) {
        const bucket = Math.floor((a.time - (from as number)) / (step as number))
        if (buckets.get(bucket) !== 'critical') buckets.set(bucket, a.severity)
      }
      const marks = page.locator(`[data-testid="chart-${chart}"] [data-testid="chart-mark"]`)
      expect({ chart, marks: await marks.count() }).toEqual({ chart, marks: buckets.size })
      const severities = await marks.evaluateAll((els) =>
        els.map((el) => el.getAttribute('data-severity')),
      )
      expect(severities.filter((s) => s === 'critical').length).toBe(
        [...buckets.values()].filter((s) => s === 'critical').length,
      )
    }
    expect(found.anomalies.some((a) => a.metric.startsWith('latency'))).toBe(true)
    expect(allProblems(problems)).toEqual([])
    await page.close()
  })

  test('a marker shows its detail on hover and on focus, and opens the anomaly', async () => {
    const { page, problems } = await open('/?warnings=1')
    const marks = page.locator('[data-testid="chart-latency"] [data-testid="chart-mark"]')
    await marks.first().waitFor()
    await settled(page)
    const detail = page.locator('[data-testid="chart-latency"] [data-testid="chart-mark-detail"]')

    // A pointer rests on the marker's triangle; its dashed rule lets the chart's own hover through.
    await marks.last().locator('.hit').hover()
    expect(await detail.textContent()).toBe((await marks.last().getAttribute('aria-label')) ?? '')
    expect(await detail.textContent()).toMatch(/^(Warning|Critical) at /)

    // The markers come next in the tab order after the markers' own setting.
    await page.locator('[data-testid="show-warnings"]').focus()
    await page.keyboard.press('Tab')
    const focused = await page.evaluate(
      () => document.activeElement?.getAttribute('aria-label') ?? '',
    )
    expect(focused).toBe((await marks.first().getAttribute('aria-label')) ?? '')
    expect(await detail.textContent()).toBe(focused)

    await page.keyboard.press('Enter')
    await page.waitForURL(/\/anomalies\?.*id=/)
    await page.waitForSelector('[data-testid="anomaly-detail"]')
    expect(await page.locator('[data-testid="anomaly-sentence"]').textContent()).toBe(
      `${focused.replace(/^(Warning|Critical) at .*?: /, '').replace(/; \d+ more in this bucket$/, '')}.`,
    )
    expect(allProblems(problems)).toEqual([])
    await page.close()
  })

  test('critical anomalies are marked always, warnings on request', async () => {
    const { page, problems } = await open('/')
    await page.waitForSelector('[data-testid="overview-anomalies"]')
    await settled(page)
    const severities = () =>
      page
        .locator('[data-testid="chart-mark"]')
        .evaluateAll((els) => els.map((el) => el.getAttribute('data-severity')))
    const before = await severities()
    expect(before.every((s) => s === 'critical')).toBe(true)
    expect(await page.locator('[data-testid="show-warnings"]').isChecked()).toBe(false)

    await page.locator('[data-testid="show-warnings"]').check()
    await page.waitForURL(/warnings=1/)
    await page.waitForFunction(
      (count) => document.querySelectorAll('[data-testid="chart-mark"]').length > count,
      before.length,
    )
    expect((await severities()).includes('warning')).toBe(true)
    expect(allProblems(problems)).toEqual([])
    await page.close()
  })
})

describe('comparisons with tests', () => {
  test('an A/B variant: each metric has the verdict its test supports, in words', async () => {
    const { page, problems } = await open('/models?cmp=variant&a=a&b=b')
    await page.waitForSelector('[data-testid="compare-findings"]')
    await settled(page)
    const window = await api<Compare>('/api/v1/compare', {
      from: '0',
      dimension: 'variant',
      a: 'a',
      b: 'b',
      ...MODEL_CALLS,
    })
    const verdicts = await page.locator('[data-testid="compare-verdict"]').allTextContents()
    const tests = Object.values(window.tests)

    // The page's window is the last six hours, the API's here everything: the demo has no more.
    expect(verdicts.filter((v) => v.startsWith('B ')).length).toBe(
      tests.filter((t) => t.significant).length,
    )
    expect(verdicts.filter((v) => v.startsWith('No detectable difference')).length).toBe(
      tests.filter((t) => !t.significant && t.warning === null && t.pValue !== null).length,
    )
    expect(verdicts.some((v) => /^B is \d+(\.\d)?% (faster|slower) \(p [<=] /.test(v))).toBe(true)
    const methods = await page.locator('[data-testid="compare-row"] .method').allTextContents()
    expect(methods.some((m) => m.includes('Mann-Whitney'))).toBe(true)
    expect(await page.locator('[data-testid="compare-dimension"]').inputValue()).toBe('variant')
    expect(allProblems(problems)).toEqual([])
    await page.close()
  })

  test("small samples show the server's warning and no verdict", async () => {
    const path = '/models?cmp=model&a=o3-mini&b=text-embedding-3-small'
    const { page, problems } = await open(path)
    await page.waitForSelector('[data-testid="compare-warning"]')
    const reply = await api<Compare>('/api/v1/compare', {
      from: '0',
      dimension: 'model',
      a: 'o3-mini',
      b: 'text-embedding-3-small',
      ...MODEL_CALLS,
    })
    const warned = Object.values(reply.tests).filter((t) => t.warning !== null)
    const shown = await page.locator('[data-testid="compare-warning"]').allTextContents()

    expect(warned.length).toBeGreaterThan(0)
    expect(shown.sort()).toEqual(warned.map((t) => `⚠ ${t.warning}`).sort())
    const inconclusive = await page
      .locator(
        '[data-testid="compare-verdict"][data-tone="none"], [data-testid="compare-verdict"][data-tone="inconclusive"]',
      )
      .allTextContents()
    expect(inconclusive.filter((v) => v.includes('Too few samples to conclude')).length).toBe(
      warned.length,
    )
    expect(allProblems(problems)).toEqual([])
    await page.close()
  })
})

describe('the Drift page', () => {
  test('one row and one distribution per feature of the API, for the chosen reference', async () => {
    const { page, problems } = await open('/drift?range=1h')
    await page.waitForSelector('[data-testid="drift-feature"] [data-testid="distribution"]')
    await settled(page)
    const windows = page.locator('[data-testid="drift-windows"]')
    const from = Number(await windows.getAttribute('data-from'))
    const report = await api<Drift>('/api/v1/drift', {
      from: String(from),
      to: (await windows.getAttribute('data-to')) ?? '',
      ...MODEL_CALLS,
    })

    expect(Number(await windows.getAttribute('data-reference-to'))).toBe(from)
    expect(await page.locator('[data-testid="drift-row"]').count()).toBe(report.features.length)
    expect(await page.locator('[data-testid="drift-feature"]').count()).toBe(report.features.length)
    const outcome = page.locator('[data-testid="drift-feature"]', { hasText: 'Outcome' })
    const errorType = report.features.find((f) => f.feature === 'errorType')
    const categories = new Set([
      ...Object.keys(errorType?.reference.shares ?? {}),
      ...Object.keys(errorType?.current.shares ?? {}),
    ])
    expect(await outcome.locator('tbody tr').count()).toBe(categories.size)

    await page.selectOption('[data-testid="reference-select"]', 'day')
    await page.waitForURL(/ref=day/)
    await page.waitForFunction(
      (f) =>
        document
          .querySelector('[data-testid="drift-windows"]')
          ?.getAttribute('data-reference-from') === String(f),
      from - 86_400_000,
    )
    expect(allProblems(problems)).toEqual([])
    await page.close()
  })

  test('a shifted output-token distribution is flagged and highlighted', async () => {
    // Long answers for the last half hour: the reference hour before has none of these.
    const nowMs = Date.now()
    const spans = Array.from({ length: 400 }, (_, i) => {
      const startTime = nowMs - 1_800_000 + i * 4_000
      return {
        traceId: (0xd0000000 + i).toString(16).padStart(32, '0'),
        spanId: (0xd0000000 + i).toString(16).padStart(16, '0'),
        name: 'chat long-answers',
        kind: 'llm',
        startTime,
        endTime: startTime + 1_500,
        provider: 'openai',
        model: 'gpt-4o-mini',
        status: 'ok',
        usage: { inputTokens: 900, outputTokens: 6_000 + (i % 50) * 40 },
        finishReason: 'stop',
      }
    })
    await ingest(demo.url, { spans })
    const { page, problems } = await open('/drift?range=1h')
    await page.waitForSelector('[data-testid="drift-row"][data-flagged="true"]')
    await settled(page)

    const flaggedRows = await page
      .locator('[data-testid="drift-row"][data-flagged="true"] td:first-child')
      .allTextContents()
    expect(flaggedRows.map((t) => t.replace(/\s+/g, ' ').trim())).toContain(
      'Output tokens per call drifted',
    )
    expect(await page.locator('[data-testid="drift-summary"]').textContent()).toContain(
      'Output tokens per call',
    )
    const card = page.locator('[data-testid="drift-feature"][data-flagged="true"]', {
      hasText: 'Output tokens',
    })
    expect(await card.count()).toBe(1)
    expect(allProblems(problems)).toEqual([])
    await page.close()
  })
})

describe('the Alerts page', () => {
  test("the editor shows the server's refusals next to the fields they name, then adds the rule", async () => {
    const { page, problems } = await open('/alerts')
    await page.waitForSelector('[data-testid="rule-editor"]')
    await settled(page)
    await page.fill('[data-testid="field-name"]', 'Slow p95')
    await page.fill('[data-testid="field-value"]', 'lots')
    await page.fill('[data-testid="field-window"]', '0.5')
    await page.fill('[data-testid="field-filter"]', 'model=gpt-4o-mini\ncolour=red')
    await page.fill('[data-testid="field-webhooks"]', 'https://hooks.example.com/x')
    await page.click('[data-testid="rule-save"]')
    await page.waitForSelector('[data-testid="error-condition.value"]')

    const errorOf = (field: string) => page.locator(`[data-testid="error-${field}"]`).textContent()
    expect(await errorOf('condition.value')).toBe(
      'condition.value must be a number (actual: "lots")',
    )
    expect(await errorOf('windowMs')).toBe(
      'windowMs must be an integer from 60000 to 604800000 (actual: 30000)',
    )
    expect(await errorOf('filter')).toContain('filter.colour is not a filter')
    expect(await errorOf('webhooks')).toContain('webhooks[0] is refused')
    expect(await page.locator('[data-testid="field-value"]').getAttribute('aria-invalid')).toBe(
      'true',
    )
    expect(await page.locator('[data-testid="field-name"]').getAttribute('aria-invalid')).toBeNull()
    // Each message is tied to its field for assistive technology too.
    expect(
      await page.locator('[data-testid="field-window"]').getAttribute('aria-describedby'),
    ).toContain('err-windowMs')

    await page.fill('[data-testid="field-value"]', '2000')
    await page.fill('[data-testid="field-window"]', '5')
    await page.fill('[data-testid="field-filter"]', 'model=gpt-4o-mini')
    await page.fill('[data-testid="field-webhooks"]', '')
    await page.fill('[data-testid="field-id"]', 'slow-p95')
    await page.click('[data-testid="rule-save"]')
    await page.waitForSelector('[data-testid="rule-row"][data-rule-id="slow-p95"]')
    const rules = await api<{ rules: { id: string; windowMs: number; filter: unknown }[] }>(
      '/api/v1/alerts/rules',
      {},
    )
    expect(rules.rules.find((r) => r.id === 'slow-p95')).toMatchObject({
      windowMs: 300_000,
      filter: { model: ['gpt-4o-mini'] },
    })
    expect(await page.locator('[data-testid="error-condition.value"]').count()).toBe(0)

    // The same id again is refused on the id field.
    await page.fill('[data-testid="field-name"]', 'Again')
    await page.fill('[data-testid="field-value"]', '1')
    await page.fill('[data-testid="field-id"]', 'slow-p95')
    await page.click('[data-testid="rule-save"]')
    await page.waitForSelector('[data-testid="error-id"]')
    expect(await errorOf('id')).toBe('an alert rule with id "slow-p95" exists already')

    // The browser reports each refused request on the console; nothing else may go wrong.
    expect(problems.consoleErrors.every((text) => /status of (400|409)/.test(text))).toBe(true)
    expect([...problems.pageErrors, ...problems.cspViolations, ...problems.dialogs]).toEqual([])
    await page.close()
  })

  test('a rule is deleted through the API after a second, explicit step', async () => {
    await fetch(`${demo.url}/api/v1/alerts/rules`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        id: 'to-delete',
        name: 'Doomed',
        metric: 'errorRate',
        condition: { type: 'threshold', op: '>', value: 0.5 },
      }),
    })
    const { page, problems } = await open('/alerts')
    const row = page.locator('[data-testid="rule-row"][data-rule-id="to-delete"]')
    await row.waitFor()
    await row.locator('[data-testid="rule-delete"]').click()
    await row.locator('[data-testid="rule-delete-confirm"]').click()
    await row.waitFor({ state: 'detached' })

    const rules = await api<{ rules: { id: string }[] }>('/api/v1/alerts/rules', {})
    expect(rules.rules.map((r) => r.id)).not.toContain('to-delete')
    expect(allProblems(problems)).toEqual([])
    await page.close()
  })
})
