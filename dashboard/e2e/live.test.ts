import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { createLlmlens, type Llmlens } from 'llmlens'
import type { Browser, Page } from 'playwright-core'
import {
  allProblems,
  fillDemo,
  launchBrowser,
  startServer,
  type TestServer,
  watch,
} from './harness.ts'

// Ten sends per view give a median and a rough p95 without making the suite slow.
const SAMPLES = 10

let browser: Browser
let server: TestServer
let lens: Llmlens

beforeAll(async () => {
  ;[browser, server] = await Promise.all([launchBrowser(), startServer()])
  await fillDemo(server.url, { hours: 1 })
  // A long flush interval: each span leaves when the test calls flush(), so the measured
  // delay starts at the SDK's send and not at a timer.
  lens = createLlmlens({ url: server.url, flushIntervalMs: 60_000, release: 'live-check' })
}, 60_000)

afterAll(async () => {
  await lens?.shutdown()
  await browser?.close()
  await server?.stop()
})

/** Records a span through the SDK and sends it; returns its id and when the send began. */
async function sendSpan(n: number): Promise<{ spanId: string; sentMs: number }> {
  const spanId = lens.trace(`live probe ${n}`, { kind: 'llm', endpoint: '/api/live' }, (span) => {
    span.update({
      provider: 'openai',
      model: 'gpt-4o-mini',
      usage: { inputTokens: 10, outputTokens: 5 },
      input: [{ role: 'user', content: `probe ${n}` }],
      output: { role: 'assistant', content: 'ok' },
    })
    return span.spanId
  })
  const sentMs = Date.now()
  expect(await lens.flush(5_000)).toBe(true)
  return { spanId, sentMs }
}

/**
 * Arms an observer in the page that notes the wall-clock time at which `appeared` first holds,
 * checked on every DOM change; the page and this process share the machine's clock.
 */
async function armSeen(page: Page, appeared: string, arg: string): Promise<void> {
  await page.evaluate(
    ({ body, arg }) => {
      const check = new Function('arg', body) as (arg: string) => boolean
      const w = window as unknown as { __seenMs: number | null }
      w.__seenMs = null
      const observer = new MutationObserver(() => {
        if (w.__seenMs === null && check(arg)) {
          w.__seenMs = Date.now()
          observer.disconnect()
        }
      })
      observer.observe(document.body, {
        subtree: true,
        childList: true,
        characterData: true,
        attributes: true,
      })
    },
    { body: appeared, arg },
  )
}

async function seenMs(page: Page): Promise<number> {
  await page.waitForFunction(
    () => (window as unknown as { __seenMs: number | null }).__seenMs !== null,
    null,
    {
      timeout: 10_000,
    },
  )
  return page.evaluate(() => (window as unknown as { __seenMs: number }).__seenMs)
}

function report(view: string, delaysMs: number[]): void {
  const sorted = [...delaysMs].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]
  console.log(
    `live delay, SDK send to on screen, ${view}: ` +
      `p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${sorted.at(-1)} ms (${sorted.join(', ')})`,
  )
}

async function openLive(path: string, ready: string) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  const problems = await watch(page)
  await page.goto(`${server.url}${path}`)
  await page.waitForSelector(ready)
  await page.waitForSelector('[data-testid="live-indicator"][data-status="live"]')
  await page.waitForLoadState('networkidle')
  return { page, problems }
}

describe('live updates', () => {
  test('a span sent through the SDK raises the overview count', async () => {
    const ready = '[data-testid="stat-requests"] .value:not([data-value=""])'
    const { page, problems } = await openLive('/', ready)
    const count = () =>
      page.locator('[data-testid="stat-requests"] .value').getAttribute('data-value')
    const delays: number[] = []

    for (let n = 0; n < SAMPLES; n++) {
      const before = Number(await count())
      await armSeen(
        page,
        `return Number(document.querySelector('[data-testid="stat-requests"] .value')?.getAttribute('data-value')) > Number(arg)`,
        String(before),
      )
      const { sentMs } = await sendSpan(n)
      delays.push((await seenMs(page)) - sentMs)
      expect(Number(await count())).toBe(before + 1)
    }

    report('overview count', delays)
    expect(allProblems(problems)).toEqual([])
    await page.close()
  })

  test('a span sent through the SDK appears at the top of the trace list', async () => {
    const { page, problems } = await openLive('/traces', '[data-testid="span-row"]')
    const delays: number[] = []

    for (let n = 0; n < SAMPLES; n++) {
      const probe = SAMPLES + n
      // The row's id is known only once the span is made, so the observer looks for its name.
      await armSeen(
        page,
        `return document.querySelector('[data-testid="span-row"] a')?.textContent === arg`,
        `live probe ${probe}`,
      )
      const sent = await sendSpan(probe)
      delays.push((await seenMs(page)) - sent.sentMs)
      expect(
        await page.locator('[data-testid="span-row"]').first().getAttribute('data-span-id'),
      ).toBe(sent.spanId)
    }

    report('trace list row', delays)
    expect(allProblems(problems)).toEqual([])
    await page.close()
  })

  test('one stream per tab, kept across every page', async () => {
    const page = await browser.newPage()
    const streams: string[] = []
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/v1/stream') streams.push(request.url())
    })
    await page.goto(`${server.url}/`)
    await page.waitForSelector('[data-testid="live-indicator"][data-status="live"]')
    for (const section of [
      'Models',
      'Traces',
      'Errors',
      'Quality',
      'Cost',
      'Anomalies',
      'Drift',
      'Alerts',
      'Export',
      'Overview',
    ]) {
      await page.getByRole('link', { name: section, exact: true }).click()
      await page.waitForLoadState('networkidle')
    }

    expect(streams).toHaveLength(1)
    expect(await page.locator('[data-testid="live-indicator"]').getAttribute('data-status')).toBe(
      'live',
    )
    await page.close()
  })

  test('paused, the overview keeps its numbers while spans arrive', async () => {
    const ready = '[data-testid="stat-requests"] .value:not([data-value=""])'
    const { page } = await openLive('/?live=0', ready)
    const count = () =>
      page.locator('[data-testid="stat-requests"] .value').getAttribute('data-value')
    const before = await count()
    const indicator = page.locator('[data-testid="live-indicator"]')
    const batches = Number(await indicator.getAttribute('data-batches'))
    await sendSpan(100)
    // The tab's stream still runs; once it has handed the span's batch to the page, the page
    // has had its chance to change and must not have.
    await page.waitForFunction(
      (seen) =>
        Number(
          document.querySelector('[data-testid="live-indicator"]')?.getAttribute('data-batches'),
        ) > seen,
      batches,
    )

    expect(await count()).toBe(before)
    expect(await page.locator('[data-testid="live-indicator"]').textContent()).toContain('Paused')
    await page.close()
  })
})
