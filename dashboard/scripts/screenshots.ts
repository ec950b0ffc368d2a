/**
 * `npm run screenshots -w dashboard`: writes docs/screenshots/*.png, one per page, of a fresh
 * server filled with the demo's six hours of traffic. Needs a built dashboard and Chromium at
 * /usr/bin/chromium.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Anomalies } from '@llmlens/spec'
import type { Page } from 'playwright-core'
import { backfillOptions } from '../../examples/demo/traffic.ts'
import { fillDemo, launchBrowser, REPO_ROOT, startServer } from '../e2e/harness.ts'
import { anomalyId } from '../src/lib/anomalies/describe.ts'

const OUT_DIR = join(REPO_ROOT, 'docs', 'screenshots')
const VIEWPORT = { width: 1440, height: 900 }
// The demo's default rate, so the charts look like a real service's day; twelve hours, so the
// overview's six hours have a previous period to be compared with.
const TRACES_PER_MINUTE = 18
const HOURS = 12

interface Shot {
  name: string
  path: string
  ready: string
  theme?: 'light' | 'dark'
  fullPage?: boolean
  /** How long `ready` may take to appear; the alerts shot waits for the server's next round. */
  readyTimeoutMs?: number
}

// Rules a team might start with; the p95 one fires on the demo's traffic at the next round.
const ALERT_RULES = [
  {
    id: 'p95-over-5s',
    name: 'Latency p95 above 5 s',
    metric: 'latencyMs.p95',
    condition: { type: 'threshold', op: '>', value: 5_000 },
  },
  {
    id: 'errors-over-5pct',
    name: 'Error rate above 5%',
    metric: 'errorRate',
    condition: { type: 'threshold', op: '>', value: 0.05 },
    windowMs: 900_000,
  },
  {
    id: 'critical-anomalies',
    name: 'Critical anomaly on any model',
    metric: 'any',
    condition: { type: 'anomaly', severity: 'critical' },
  },
]
// The server's rounds are a minute apart, 15 s past each minute.
const ALERT_ROUND_WAIT_MS = 100_000

async function settle(page: Page, ready: string, timeoutMs = 30_000): Promise<void> {
  await page.waitForSelector(ready, { timeout: timeoutMs })
  await page.waitForSelector('[data-testid="live-indicator"][data-status="live"]')
  await page.waitForLoadState('networkidle')
  // Charts draw on the frame after their data arrives.
  await page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
  )
}

const [demo, empty, browser] = await Promise.all([startServer(), startServer(), launchBrowser()])
try {
  const fill = await fillDemo(demo.url, {
    hours: HOURS,
    tracesPerMinute: TRACES_PER_MINUTE,
    seed: 42,
  })
  const agents = (await (await fetch(`${demo.url}/api/v1/spans?kind=agent&limit=20`)).json()) as {
    items: { traceId: string }[]
  }
  const traceId = agents.items[5]?.traceId ?? agents.items[0]?.traceId ?? ''
  for (const rule of ALERT_RULES) {
    await fetch(`${demo.url}/api/v1/alerts/rules`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(rule),
    })
  }
  // The demo's latency spike: the anomaly to show in detail, and the window whose drift to show.
  const { spike } = backfillOptions(fill.nowMs, HOURS, TRACES_PER_MINUTE, 42)
  const spikeEndMs = spike.startMs + spike.durationMs
  const judged = (await (
    await fetch(
      `${demo.url}/api/v1/anomalies?from=${fill.nowMs - 6 * 3_600_000}&to=${fill.nowMs}&kind=llm&kind=embedding`,
    )
  ).json()) as Anomalies
  const worst = [...judged.anomalies]
    .filter((a) => a.kind === 'bucket')
    .sort(
      (a, b) =>
        Number(b.time >= spike.startMs && b.time < spikeEndMs) -
          Number(a.time >= spike.startMs && a.time < spikeEndMs) ||
        Math.abs(b.zScore) - Math.abs(a.zScore),
    )[0]
  const detailPath = worst
    ? `/anomalies?${new URLSearchParams({ id: anomalyId(worst) })}`
    : '/anomalies'
  // Eight calm minutes either side of the spike: enough calls to judge, and a clear shift.
  const calmMs = 8 * 60_000
  const spikeRange = new URLSearchParams({
    from: new Date(spike.startMs - calmMs).toISOString(),
    to: new Date(spikeEndMs + calmMs).toISOString(),
    model: spike.model,
  })
  const shots: Shot[] = [
    { name: 'overview', path: '/', ready: '[data-testid="chart-cost"] canvas' },
    { name: 'overview-dark', path: '/', ready: '[data-testid="chart-cost"] canvas', theme: 'dark' },
    { name: 'models', path: '/models', ready: '[data-testid="model-row"]' },
    {
      name: 'models-compare',
      path: '/models?cmp=model&a=gpt-4o-mini&b=claude-3-5-haiku#compare',
      ready: '[data-testid="compare-cost"] canvas',
    },
    { name: 'traces', path: '/traces', ready: '[data-testid="span-row"]' },
    { name: 'trace', path: `/traces/${traceId}`, ready: '[data-testid="conversation"]' },
    { name: 'errors', path: '/errors', ready: '[data-testid="chart-error-models"] canvas' },
    { name: 'quality', path: '/quality', ready: '[data-testid="score-histogram"]' },
    { name: 'cost', path: '/cost', ready: '[data-testid="chart-cost-endpoint"] canvas' },
    {
      name: 'models-ab',
      path: '/models?cmp=variant&a=a&b=b#compare',
      ready: '[data-testid="compare-findings"]',
    },
    { name: 'anomalies', path: '/anomalies', ready: '[data-testid="anomaly-row"]' },
    {
      name: 'anomaly',
      path: detailPath,
      ready: '[data-testid="anomaly-detail-chart"] canvas',
    },
    { name: 'drift', path: `/drift?${spikeRange}`, ready: '[data-testid="distribution"]' },
    { name: 'export', path: '/export', ready: '[data-testid="export-start"]' },
    {
      name: 'alerts',
      path: '/alerts',
      ready: '[data-testid="alert-event"]',
      readyTimeoutMs: ALERT_ROUND_WAIT_MS,
      fullPage: true,
    },
  ]

  mkdirSync(OUT_DIR, { recursive: true })
  for (const shot of [
    ...shots,
    { name: 'empty', path: '/', ready: '[data-testid="empty-state"]' },
  ]) {
    const context = await browser.newContext({
      viewport: VIEWPORT,
      colorScheme: shot.theme ?? 'light',
    })
    const page = await context.newPage()
    const server = shot.name === 'empty' ? empty : demo
    await page.goto(`${server.url}${shot.path}`)
    await settle(page, shot.ready, shot.readyTimeoutMs)
    const file = join(OUT_DIR, `${shot.name}.png`)
    await page.screenshot({ path: file, fullPage: shot.fullPage ?? false })
    console.log(`screenshots: ${file}`)
    await context.close()
  }
  console.log(`screenshots: ${shots.length + 1} pages of ${fill.spans} demo spans`)
} finally {
  await browser.close()
  await Promise.all([demo.stop(), empty.stop()])
}
