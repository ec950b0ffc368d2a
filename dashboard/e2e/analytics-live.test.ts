import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Browser, Page } from 'playwright-core'
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

const MINUTE_MS = 60_000
const PROBE_MODEL = 'probe-model'
// A rule name that would run script if it were ever rendered as HTML.
const RULE_NAME = `<img src=x onerror="window.__xss='rule-name'">`
// The server judges each minute 15 s after it closes, and runs the alert rules right after:
// the next round is at most 75 s away, and a slow machine gets some more.
const ROUND_WAIT_MS = 110_000

let browser: Browser
let server: TestServer
let sequence = 0

beforeAll(async () => {
  ;[browser, server] = await Promise.all([launchBrowser(), startServer()])
  await fillDemo(server.url, { hours: 1 })
  // Forty calm minutes of a model of its own, eight calls a minute around one second: the
  // baseline a burst of slow calls will be judged against.
  const nowMs = Date.now()
  const calm = []
  for (let minute = 40; minute >= 1; minute--) {
    for (let i = 0; i < 8; i++) {
      const startTime = nowMs - minute * MINUTE_MS + i * 7_000
      calm.push(probeSpan(startTime, 1_000 * (0.9 + ((minute * 8 + i) % 7) / 30)))
    }
  }
  await ingest(server.url, { spans: calm })
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

function probeSpan(startTime: number, durationMs: number) {
  sequence++
  return {
    traceId: (0xe0000000 + sequence).toString(16).padStart(32, '0'),
    spanId: (0xe0000000 + sequence).toString(16).padStart(16, '0'),
    name: 'chat probe',
    kind: 'llm',
    startTime,
    endTime: startTime + durationMs,
    provider: 'openai',
    model: PROBE_MODEL,
    status: 'ok',
    usage: { inputTokens: 100, outputTokens: 50 },
    finishReason: 'stop',
  }
}

async function open(path: string, ready: string): Promise<{ page: Page; problems: PageProblems }> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
  const problems = await watch(page)
  await page.goto(`${server.url}${path}`)
  await page.waitForSelector(ready)
  await page.waitForSelector('[data-testid="live-indicator"][data-status="live"]')
  await page.waitForLoadState('networkidle')
  return { page, problems }
}

/** Slow calls in the current minute, which the server judges once the minute has closed. */
async function sendBurst(): Promise<number> {
  // The calls must start in this minute and have ended by now; early in a minute, wait a little.
  const intoMinuteMs = Date.now() % MINUTE_MS
  if (intoMinuteMs < 15_000) await Bun.sleep(15_000 - intoMinuteMs)
  const minuteMs = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS
  const spans = Array.from({ length: 20 }, (_, i) => probeSpan(minuteMs + 500 + i * 100, 10_000))
  await ingest(server.url, { spans })
  return minuteMs
}

describe('analytics pages, live', () => {
  test(
    'a firing alert and a new anomaly appear without a reload, over the one stream',
    async () => {
      const streams: string[] = []
      const alerts = await open('/alerts', '[data-testid="rule-editor"]')
      alerts.page.on('request', (request) => {
        if (new URL(request.url()).pathname === '/api/v1/stream') streams.push(request.url())
      })
      // The rule is made through the editor, whose name is markup: it must stay text.
      await alerts.page.fill('[data-testid="field-name"]', RULE_NAME)
      await alerts.page.fill('[data-testid="field-metric"]', 'count')
      await alerts.page.selectOption('[data-testid="field-op"]', '>=')
      await alerts.page.fill('[data-testid="field-value"]', '1')
      await alerts.page.fill('[data-testid="field-min-count"]', '1')
      await alerts.page.fill('[data-testid="field-filter"]', `model=${PROBE_MODEL}`)
      await alerts.page.click('[data-testid="rule-save"]')
      await alerts.page.waitForSelector('[data-testid="rule-row"][data-state="ok"]')

      const anomalies = await open('/anomalies', '[data-testid="anomalies-summary"]')
      const overview = await open('/', '[data-testid="overview-anomalies"]')
      const drift = await open('/drift?range=15m', '[data-testid="drift-windows"]')
      const marked = Number(
        await overview.page
          .locator('[data-testid="overview-anomalies"]')
          .getAttribute('data-count'),
      )
      const driftCalls = Number(
        await drift.page
          .locator('[data-testid="drift-windows"]')
          .getAttribute('data-current-count'),
      )
      const startedMs = Date.now()
      const minuteMs = await sendBurst()

      // The alert fires at the server's next round: a row in the history, the rule firing.
      const fired = alerts.page.locator('[data-testid="alert-event"][data-state="firing"]')
      await fired.first().waitFor({ timeout: ROUND_WAIT_MS })
      await alerts.page.waitForSelector('[data-testid="rule-row"][data-state="firing"]')
      expect(await fired.first().locator('td').nth(2).textContent()).toBe(RULE_NAME)
      expect(await alerts.page.locator('[data-testid="rule-name"]').textContent()).toBe(RULE_NAME)

      // The burst's minute is judged once it has closed: its anomaly arrives as a new row.
      const arrived = anomalies.page.locator(
        `[data-testid="anomaly-row"][data-arrived="live"][data-metric="latencyMs"]`,
      )
      await arrived.first().waitFor({ timeout: ROUND_WAIT_MS })
      expect(await arrived.first().locator('[data-testid="anomaly-key"]').textContent()).toBe(
        PROBE_MODEL,
      )
      expect(await arrived.first().getAttribute('data-severity')).toBe('critical')
      expect(Number((await arrived.first().getAttribute('data-id'))?.split(':')[2])).toBe(minuteMs)

      // The overview marks it on its charts.
      await overview.page.waitForFunction(
        (before) =>
          Number(
            document
              .querySelector('[data-testid="overview-anomalies"]')
              ?.getAttribute('data-count'),
          ) > before,
        marked,
      )
      // The drift page re-reads its distributions once new calls have come in.
      await drift.page.waitForFunction(
        (before) =>
          Number(
            document
              .querySelector('[data-testid="drift-windows"]')
              ?.getAttribute('data-current-count'),
          ) > before,
        driftCalls,
        { timeout: 60_000 },
      )
      console.log(
        `live analytics: alert and anomaly on screen ${((Date.now() - startedMs) / 1000).toFixed(1)} s ` +
          'after the burst was sent (the server judges a minute 15 s after it closes)',
      )

      for (const { page, problems } of [alerts, anomalies, overview, drift]) {
        expect(allProblems(problems)).toEqual([])
        expect(
          await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss ?? null),
        ).toBeNull()
        await page.close()
      }
      // Each tab kept the one stream it opened; none opened a second.
      expect(streams).toEqual([])
    },
    { timeout: 4 * ROUND_WAIT_MS },
  )
})
