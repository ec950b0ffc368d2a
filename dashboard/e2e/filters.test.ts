import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import {
  allProblems,
  fillDemo,
  launchBrowser,
  startServer,
  type TestServer,
  watch,
} from './harness.ts'

let browser: Browser
let server: TestServer

beforeAll(async () => {
  ;[browser, server] = await Promise.all([launchBrowser(), startServer()])
  await fillDemo(server.url, { hours: 6 })
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

const COUNT = '[data-testid="stat-requests"] .value'

async function summaryCount(query: Record<string, string | string[]>): Promise<number> {
  const params = new URLSearchParams()
  for (const [name, value] of Object.entries(query)) {
    for (const v of Array.isArray(value) ? value : [value]) params.append(name, v)
  }
  const response = await fetch(`${server.url}/api/v1/metrics/summary?${params}`)
  expect(response.status).toBe(200)
  return ((await response.json()) as { total: { count: number } }).total.count
}

/** The overview's count once it has settled, and the window it was read for. */
async function overview(page: Page) {
  await page.waitForSelector(`${COUNT}:not([data-value=""])`)
  await page.waitForLoadState('networkidle')
  const root = page.locator('[data-testid="overview"]')
  return {
    shown: Number(await page.locator(COUNT).getAttribute('data-value')),
    text: await page.locator(COUNT).textContent(),
    from: (await root.getAttribute('data-from')) ?? '',
    to: (await root.getAttribute('data-to')) ?? '',
  }
}

async function addFilter(page: Page, dimension: string, value: string) {
  await page.click('[data-testid="add-filter"]')
  await page.selectOption('[data-testid="filter-dimension"]', dimension)
  await page.fill('[data-testid="filter-value"]', value)
  await page.keyboard.press('Enter')
}

const MODEL_CALLS = ['llm', 'embedding']

describe('filters and time range', () => {
  test('a filter added in the bar is in the URL and the numbers are the API’s', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    const problems = await watch(page)
    await page.goto(`${server.url}/`)
    const unfiltered = await overview(page)

    await addFilter(page, 'model', 'gpt-4o')
    await page.waitForURL(/model=gpt-4o/)
    await page.waitForFunction(
      ([selector, before]) =>
        document.querySelector(selector)?.getAttribute('data-value') !== before,
      [COUNT, String(unfiltered.shown)] as const,
    )
    const filtered = await overview(page)
    const expected = await summaryCount({
      from: filtered.from,
      to: filtered.to,
      model: 'gpt-4o',
      kind: MODEL_CALLS,
    })

    expect(unfiltered.shown).toBe(
      await summaryCount({ from: unfiltered.from, to: unfiltered.to, kind: MODEL_CALLS }),
    )
    expect(expected).toBeGreaterThan(0)
    expect(expected).toBeLessThan(unfiltered.shown)
    expect(filtered.shown).toBe(expected)
    expect(filtered.text).toBe(expected.toLocaleString('en-US'))
    expect(await page.locator('[data-testid="filter-chip"]').allTextContents()).toEqual([
      expect.stringContaining('gpt-4o'),
    ])

    // The URL alone restores the view, as a shared link would.
    await page.reload()
    expect((await overview(page)).shown).toBe(
      await summaryCount({ model: 'gpt-4o', kind: MODEL_CALLS, ...(await windowOf(page)) }),
    )

    await page.click('[data-testid="filter-chip"]')
    await page.waitForURL((url) => !url.search.includes('model='))
    await page.waitForFunction(
      ([selector, before]) =>
        document.querySelector(selector)?.getAttribute('data-value') !== before,
      [COUNT, String(filtered.shown)] as const,
    )
    const cleared = await overview(page)
    expect(cleared.shown).toBe(
      await summaryCount({ from: cleared.from, to: cleared.to, kind: MODEL_CALLS }),
    )
    expect(allProblems(problems)).toEqual([])
    await page.close()
  })

  test('a preset range and a custom range change the numbers to the API’s', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    const problems = await watch(page)
    await page.goto(`${server.url}/`)
    const sixHours = await overview(page)

    await page.selectOption('[data-testid="range-select"]', '1h')
    await page.waitForURL(/range=1h/)
    await page.waitForFunction(
      ([before]) =>
        document.querySelector('[data-testid="overview"]')?.getAttribute('data-from') !== before,
      [sixHours.from] as const,
    )
    const oneHour = await overview(page)
    expect(Number(oneHour.to) - Number(oneHour.from)).toBeGreaterThanOrEqual(3_600_000)
    expect(oneHour.shown).toBe(
      await summaryCount({ from: oneHour.from, to: oneHour.to, kind: MODEL_CALLS }),
    )
    expect(oneHour.shown).toBeLessThan(sixHours.shown)

    // A custom range of two whole hours, entered in local time.
    const endMs = Math.floor(Date.now() / 3_600_000) * 3_600_000
    const local = (ms: number) => {
      const d = new Date(ms)
      const pad = (n: number) => String(n).padStart(2, '0')
      return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`
    }
    await page.selectOption('[data-testid="range-select"]', 'custom')
    await page.fill('[data-testid="range-from"]', local(endMs - 2 * 3_600_000))
    await page.fill('[data-testid="range-to"]', local(endMs))
    await page.click('[data-testid="custom-range"] button[type="submit"]')
    await page.waitForURL(/from=.*&to=/)
    await page.waitForFunction(
      (from) =>
        document.querySelector('[data-testid="overview"]')?.getAttribute('data-from') === from,
      String(endMs - 2 * 3_600_000),
    )
    const custom = await overview(page)
    expect(custom.to).toBe(String(endMs))
    expect(custom.shown).toBe(
      await summaryCount({
        from: String(endMs - 2 * 3_600_000),
        to: String(endMs),
        kind: MODEL_CALLS,
      }),
    )
    expect(await page.locator('[data-testid="live-toggle"]').textContent()).toContain('Go live')
    expect(allProblems(problems)).toEqual([])
    await page.close()
  })

  test('the trace list follows filters and search', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    await page.goto(`${server.url}/traces?model=claude-3-5-haiku`)
    await page.waitForSelector('[data-testid="span-row"]')
    const models = await page.locator('[data-testid="span-row"] td:nth-child(4)').allTextContents()

    expect(models.length).toBeGreaterThan(0)
    expect(new Set(models)).toEqual(new Set(['claude-3-5-haiku']))

    await page.fill('[data-testid="trace-search"]', 'vector_search')
    await page.waitForURL(/q=vector_search/)
    await page.goto(`${server.url}/traces?q=vector_search`)
    await page.waitForSelector('[data-testid="span-row"]')
    const names = await page.locator('[data-testid="span-row"] td:nth-child(2)').allTextContents()
    expect(names.length).toBeGreaterThan(0)
    expect(names.every((name) => name.includes('vector_search'))).toBe(true)

    // Older pages continue where this one ended, as the API's cursor says.
    const first = await page.locator('[data-testid="span-row"]').last().getAttribute('data-span-id')
    await page.click('[data-testid="page-older"]')
    await page.waitForURL(/cursor=/)
    await page.waitForFunction(
      (id) =>
        document.querySelector('[data-testid="span-row"]')?.getAttribute('data-span-id') !== id,
      first,
    )
    const secondPage = await page
      .locator('[data-testid="span-row"]')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-span-id')))
    expect(secondPage).not.toContain(first)
    await page.close()
  })

  test('export writes the current filter as CSV, with the API’s row count', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    const problems = await watch(page)
    await page.goto(`${server.url}/export?model=gpt-4o&range=24h`)
    await page.waitForSelector('[data-testid="export-start"]')
    const download = page.waitForEvent('download')
    await page.click('[data-testid="export-start"]')
    const file = await download
    await page.waitForSelector('[data-testid="export-done"]')
    const rows = Number(await page.locator('[data-testid="export-done"]').getAttribute('data-rows'))
    const lines = readFileSync((await file.path()) as string, 'utf8')
      .trimEnd()
      .split('\n')
    const expected = await summaryCount({ from: '0', model: 'gpt-4o' })

    expect(file.suggestedFilename()).toMatch(/^llmlens-spans-\d{4}-\d{2}-\d{2}\.csv$/)
    expect(lines[0]).toStartWith('traceId,spanId,')
    expect(lines.length - 1).toBe(expected)
    expect(rows).toBe(expected)
    expect(allProblems(problems)).toEqual([])
    await page.close()
  })
})

async function windowOf(page: Page): Promise<{ from: string; to: string }> {
  const root = page.locator('[data-testid="overview"]')
  return {
    from: (await root.getAttribute('data-from')) ?? '',
    to: (await root.getAttribute('data-to')) ?? '',
  }
}
