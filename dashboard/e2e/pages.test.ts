import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Browser, Page } from 'playwright-core'
import { formatUsd } from '../src/lib/format/numbers.ts'
import {
  allProblems,
  fillDemo,
  launchBrowser,
  type PageProblems,
  startServer,
  type TestServer,
  watch,
} from './harness.ts'

let browser: Browser
let demo: TestServer
let empty: TestServer
let traceId: string

beforeAll(async () => {
  ;[browser, demo, empty] = await Promise.all([launchBrowser(), startServer(), startServer()])
  await fillDemo(demo.url)
  const agents = (await (await fetch(`${demo.url}/api/v1/spans?kind=agent&limit=1`)).json()) as {
    items: { traceId: string }[]
  }
  traceId = agents.items[0]?.traceId ?? ''
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await Promise.all([demo?.stop(), empty?.stop()])
})

async function open(
  server: TestServer,
  path: string,
): Promise<{ page: Page; problems: PageProblems }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  const problems = await watch(page)
  await page.goto(`${server.url}${path}`)
  return { page, problems }
}

async function api<T>(server: TestServer, path: string): Promise<T> {
  const response = await fetch(`${server.url}${path}`)
  expect(response.status).toBe(200)
  return (await response.json()) as T
}

/** Waits for the page's reads to finish: nothing loading, and the stream connected. */
async function settled(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid="live-indicator"][data-status="live"]')
  await page.waitForLoadState('networkidle')
}

const PAGES: { path: string; ready: string }[] = [
  { path: '/', ready: '[data-testid="stat-requests"] .value:not([data-value=""])' },
  { path: '/models', ready: '[data-testid="model-row"]' },
  { path: '/traces', ready: '[data-testid="span-row"]' },
  { path: '/errors', ready: '[data-testid="errors-summary"]' },
  { path: '/quality', ready: '[data-testid="quality-table"] tbody tr' },
  { path: '/cost', ready: '[data-testid="cost-total"]' },
  { path: '/export', ready: '[data-testid="export-start"]' },
  { path: '/anomalies', ready: '[data-testid="anomalies-summary"]' },
  { path: '/drift', ready: '[data-testid="drift-table"] tbody tr' },
  { path: '/alerts', ready: '[data-testid="alert-history"] tbody tr' },
]

describe('with demo data', () => {
  test.each(PAGES)(
    '$path loads without console errors or CSP violations',
    async ({ path, ready }) => {
      const { page, problems } = await open(demo, path)
      await page.waitForSelector(ready)
      await settled(page)

      expect(allProblems(problems)).toEqual([])
      await page.close()
    },
  )

  test('the overview shows the API numbers for its window, with charts drawn', async () => {
    const { page, problems } = await open(demo, '/')
    const value = page.locator('[data-testid="stat-requests"] .value')
    await page.waitForSelector('[data-testid="stat-requests"] .value:not([data-value=""])')
    await page.waitForSelector('[data-testid="chart-latency"] canvas')
    await settled(page)
    const root = page.locator('[data-testid="overview"]')
    const from = await root.getAttribute('data-from')
    const to = await root.getAttribute('data-to')
    const summary = await api<{ total: { count: number; costUsd: number } }>(
      demo,
      `/api/v1/metrics/summary?from=${from}&to=${to}&kind=llm&kind=embedding`,
    )

    expect(summary.total.count).toBeGreaterThan(1000)
    expect(Number(await value.getAttribute('data-value'))).toBe(summary.total.count)
    expect(await value.textContent()).toBe(summary.total.count.toLocaleString('en-US'))
    const cost = Number(
      await page.locator('[data-testid="stat-cost"] .value').getAttribute('data-value'),
    )
    expect(cost).toBeCloseTo(summary.total.costUsd, 9)
    expect(await page.locator('canvas').count()).toBeGreaterThanOrEqual(5)
    expect(allProblems(problems)).toEqual([])
    await page.close()
  })

  test('the models table has one row per model and provider of the API', async () => {
    const { page } = await open(demo, '/models')
    await page.waitForSelector('[data-testid="model-row"]')
    await settled(page)
    const summary = await api<{ groups: unknown[] }>(
      demo,
      '/api/v1/metrics/summary?groupBy=model,provider&kind=llm&kind=embedding&from=0',
    )

    expect(await page.locator('[data-testid="model-row"]').count()).toBe(summary.groups.length)
    await page.close()
  })

  test('a model with no known price has an unknown cost, not $0', async () => {
    const { page } = await open(demo, '/models')
    await page.waitForSelector('[data-testid="model-row"]')
    await settled(page)
    const summary = await api<{
      groups: { key: { model: string }; count: number; unpricedCount: number; costUsd: number }[]
    }>(demo, '/api/v1/metrics/summary?groupBy=model&kind=llm&kind=embedding&from=0')
    const unpriced = summary.groups.find((g) => g.unpricedCount > 0 && g.costUsd === 0)
    const priced = summary.groups.find((g) => g.unpricedCount === 0 && g.costUsd > 0.01)
    if (unpriced === undefined || priced === undefined) {
      throw new Error('the demo traffic should hold a model without a price and one with')
    }

    const cells = async (model: string) => {
      const row = page.locator('[data-testid="model-row"]', { hasText: model }).first()
      return [
        await row.locator('[data-testid="model-cost"]').textContent(),
        await row.locator('[data-testid="model-cost-per-call"]').textContent(),
      ]
    }
    expect(await cells(unpriced.key.model)).toEqual([formatUsd(null), formatUsd(null)])
    for (const text of await cells(priced.key.model)) expect(text).toMatch(/^\$\d/)
    expect(await cells(priced.key.model)).not.toContain('$0')

    // On the Cost page it is listed as unpriced, and not charted as a free model.
    await page.goto(`${demo.url}/cost`)
    await page.waitForSelector('[data-testid="chart-cost-model"] canvas')
    await settled(page)
    const legend = await page
      .locator('[data-testid="chart-cost-model"] .legend li .label')
      .allInnerTexts()
    expect(legend).toContain(priced.key.model)
    expect(legend).not.toContain(unpriced.key.model)
    expect(await page.locator('[data-testid="unpriced-models"]').textContent()).toContain(
      unpriced.key.model,
    )
    await page.close()
  })

  test('two models side by side: tests, verdicts and overlaid charts', async () => {
    const { page, problems } = await open(
      demo,
      '/models?cmp=model&a=gpt-4o-mini&b=claude-3-5-haiku',
    )
    await page.waitForSelector('[data-testid="compare-table"] tbody tr')
    await page.waitForSelector('[data-testid="compare-latency"] canvas')
    await settled(page)
    const header = await page.locator('[data-testid="compare-table"] thead th').allTextContents()

    expect(header).toEqual([
      'Metric',
      'A: gpt-4o-mini',
      'B: claude-3-5-haiku',
      'Change',
      '95% interval of B − A',
      'p-value',
      'Verdict',
      'Test',
    ])
    expect(await page.locator('[data-testid="compare-latency"] li').allTextContents()).toEqual([
      expect.stringContaining('A: gpt-4o-mini'),
      expect.stringContaining('B: claude-3-5-haiku'),
    ])
    expect(allProblems(problems)).toEqual([])
    await page.close()
  })

  test('a trace shows its span tree, the selected span and its conversation', async () => {
    const trace = await api<{ spans: { spanId: string; name: string }[] }>(
      demo,
      `/api/v1/traces/${traceId}`,
    )
    const { page, problems } = await open(demo, `/traces/${traceId}`)
    await page.waitForSelector('[data-testid="waterfall-row"]')
    await settled(page)

    expect(await page.locator('[data-testid="waterfall-row"]').count()).toBe(trace.spans.length)
    expect(await page.locator('[data-testid="span-detail"] h2').textContent()).toContain(
      trace.spans[0]?.name ?? '',
    )
    expect(await page.locator('[data-testid="conversation"] li').count()).toBeGreaterThan(0)

    // The tree is keyboard-driven: focus a row, arrow down, and the next span is shown.
    await page.locator('[data-testid="waterfall-row"]').first().focus()
    await page.keyboard.press('ArrowDown')
    await page.waitForURL(new RegExp(`span=${trace.spans[1]?.spanId ?? ''}`))
    expect(await page.locator('[data-testid="waterfall-row"][aria-current="true"]').count()).toBe(1)
    expect(allProblems(problems)).toEqual([])
    await page.close()
  })

  test('every control on the overview is reachable with the keyboard', async () => {
    const { page } = await open(demo, '/')
    await page.waitForSelector('[data-testid="stat-requests"] .value:not([data-value=""])')
    const reached = new Set<string>()
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press('Tab')
      reached.add(await page.evaluate(() => document.activeElement?.textContent?.trim() ?? ''))
    }

    for (const name of [
      'Skip to content',
      'Overview',
      'Models',
      'Traces',
      'Export',
      'Pause live',
      '+ Filter',
    ]) {
      expect(reached).toContain(name)
    }
    await page.close()
  })

  test('the theme follows the choice and stays after a reload', async () => {
    const { page, problems } = await open(demo, '/')
    await page.waitForSelector('[data-testid="theme-select"]')
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor)
    await page.selectOption('[data-testid="theme-select"]', 'light')
    const light = await background()
    await page.selectOption('[data-testid="theme-select"]', 'dark')
    const dark = await background()
    await page.reload()
    await page.waitForSelector('[data-testid="theme-select"]')

    expect(light).toBe('rgb(247, 248, 250)')
    expect(dark).toBe('rgb(17, 20, 24)')
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark')
    expect(await background()).toBe(dark)
    expect(allProblems(problems)).toEqual([])
    await page.close()
  })
})

describe('with an empty store', () => {
  test.each(PAGES.map((p) => p.path))(
    '%s loads without console errors or CSP violations',
    async (path) => {
      const { page, problems } = await open(empty, path)
      await settled(page)
      expect(allProblems(problems)).toEqual([])
      await page.close()
    },
  )

  test('a trace that is not stored says so', async () => {
    const { page, problems } = await open(empty, '/traces/0123456789abcdef0123456789abcdef')
    await page.waitForSelector('[role="alert"]')

    expect(await page.locator('[role="alert"]').textContent()).toContain(
      'no trace 0123456789abcdef0123456789abcdef is stored',
    )
    // The browser reports the API's 404 on the console; nothing else may go wrong.
    expect(problems.consoleErrors).toEqual([expect.stringContaining('404')])
    expect([...problems.pageErrors, ...problems.cspViolations, ...problems.dialogs]).toEqual([])
    await page.close()
  })

  test('the overview shows the two-line SDK snippet and npm run demo', async () => {
    const { page } = await open(empty, '/')
    await page.waitForSelector('[data-testid="empty-state"]')
    const text = await page.locator('[data-testid="empty-state"]').textContent()

    expect(text).toContain("import { observe } from 'llmlens'")
    expect(text).toContain('const openai = observe(new OpenAI())')
    expect(text).toContain('npm run demo')
    await page.close()
  })
})
