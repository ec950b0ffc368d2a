import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Anomalies } from '@llmlens/spec'
import type { Browser, Page } from 'playwright-core'
import { anomalyId } from '../src/lib/anomalies/describe.ts'
import {
  allProblems,
  fillDemo,
  launchBrowser,
  startServer,
  type TestServer,
  watch,
} from './harness.ts'
import {
  alertRuleBodies,
  anomalyBody,
  hex16,
  PAYLOADS,
  PROTO_KEYS,
  TRACE_ID,
  xssBody,
} from './xss-corpus.ts'

let browser: Browser
let server: TestServer
// The comparison views have a server of their own: GET /api/v1/compare computes statistics over
// the same poisoned names, and whatever it does must not decide what the other views see.
let compareServer: TestServer

async function poisoned(): Promise<TestServer> {
  const started = await startServer()
  await fillDemo(started.url, { hours: 1 })
  const response = await fetch(`${started.url}/api/v1/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: xssBody(Date.now()),
  })
  const reply = (await response.json()) as { accepted: number; rejected: unknown[] }
  expect(reply.rejected).toEqual([])
  expect(reply.accepted).toBe(PAYLOADS.length * 2)
  const slow = await fetch(`${started.url}/api/v1/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: anomalyBody(Date.now()),
  })
  expect(((await slow.json()) as { rejected: unknown[] }).rejected).toEqual([])
  for (const body of alertRuleBodies()) {
    const rule = await fetch(`${started.url}/api/v1/alerts/rules`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    })
    expect(rule.status).toBe(200)
  }
  return started
}

beforeAll(async () => {
  ;[browser, server, compareServer] = await Promise.all([launchBrowser(), poisoned(), poisoned()])
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await Promise.all([server?.stop(), compareServer?.stop()])
})

const q = (params: Record<string, string>) => new URLSearchParams(params).toString()
const [first = '', second = ''] = PAYLOADS

const COMPARE_VIEWS = [
  `/models?${q({ cmp: 'model', a: first, b: second })}`,
  `/models?${q({ cmp: 'tag', a: `variant:${first}`, b: '__proto__' })}`,
  `/models?${q({ cmp: 'release', a: second, b: first })}`,
  `/models?${q({ cmp: 'variant', a: first, b: '__proto__' })}`,
]

const VIEWS = [
  '/',
  '/models',
  '/traces',
  `/traces?${q({ q: '<script' })}`,
  `/traces/${TRACE_ID}`,
  ...PAYLOADS.slice(1, 4).map((_, i) => `/traces/${TRACE_ID}?span=${hex16(i + 2)}`),
  '/errors',
  `/errors?${q({ errorType: first })}`,
  '/quality',
  '/cost',
  '/export',
  `/?${q({ model: first, tag: '__proto__', userId: second, endpoint: PAYLOADS[8] ?? '' })}`,
  `/export?${q({ model: PAYLOADS[9] ?? '', release: first })}`,
  '/anomalies',
  `/anomalies?${q({ metric: first, severity: second })}`,
  '/drift',
  `/drift?${q({ range: '1h', model: first, ref: 'custom', refFrom: first, refTo: second })}`,
  '/alerts',
]

/** What a successful injection would leave in the page, read from inside it. */
async function inspect(page: Page) {
  return page.evaluate(() => {
    const elements = [...document.querySelectorAll('*')]
    return {
      xss: (window as unknown as { __xss?: unknown }).__xss ?? null,
      polluted: ({} as Record<string, unknown>).polluted ?? null,
      prototypeKeys: Object.keys(Object.prototype),
      handlers: elements.flatMap((el) =>
        [...el.attributes]
          .filter((a) => a.name.startsWith('on'))
          .map((a) => `${el.tagName} ${a.name}`),
      ),
      styled: elements
        .filter((el) => el.hasAttribute('style') && el.closest('.uplot') === null)
        .map((el) => el.tagName),
      scripts: [...document.scripts]
        .map((s) => s.src)
        .filter((src) => !new URL(src, location.href).pathname.startsWith('/_app/')),
      foreign: elements
        .filter((el) => ['IFRAME', 'OBJECT', 'EMBED', 'STYLE', 'MATH'].includes(el.tagName))
        .map((el) => el.tagName),
      injectedSvg: [...document.querySelectorAll('svg')].filter(
        (svg) => svg.querySelector('circle, script') !== null,
      ).length,
      links: [...document.querySelectorAll('a[href]')]
        .map((a) => (a as HTMLAnchorElement).href)
        .filter((href) => !/^(https?:|blob:)/.test(href)),
      bodyVisible:
        getComputedStyle(document.body).display !== 'none' &&
        getComputedStyle(document.body).visibility !== 'hidden',
      // What a reader sees, laid out: textContent would also count text the page hides.
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is the point
      text: document.body.innerText,
    }
  })
}

async function visitClean(target: TestServer, path: string): Promise<void> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  const problems = await watch(page)
  await page.goto(`${target.url}${path}`)
  await page.waitForSelector('[data-testid="live-indicator"][data-status="live"]')
  await page.waitForLoadState('networkidle')
  if (path === '/') {
    // The filter editor lists stored values as suggestions: open it on a poisoned dimension.
    await page.click('[data-testid="add-filter"]')
    await page.selectOption('[data-testid="filter-dimension"]', 'model')
    // The suggestions are read once the dimension is chosen; wait for them, not for the network,
    // which can look idle before that read starts.
    await page.waitForSelector('#filter-suggestions option', { state: 'attached' })
    expect(
      await page
        .locator('#filter-suggestions option')
        .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value)),
    ).toContain(first)
  }
  const found = await inspect(page)

  expect(allProblems(problems)).toEqual([])
  expect(found).toMatchObject({
    xss: null,
    polluted: null,
    prototypeKeys: [],
    handlers: [],
    styled: [],
    scripts: [],
    foreign: [],
    injectedSvg: 0,
    links: [],
    bodyVisible: true,
  })
  await page.close()
}

describe('untrusted names and content render as text on every view', () => {
  test.each(VIEWS)('%s', (path) => visitClean(server, path))

  test.each(COMPARE_VIEWS)('%s', (path) => visitClean(compareServer, path))

  test('the payloads are on screen as the characters they are', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    await page.goto(`${server.url}/traces/${TRACE_ID}`)
    await page.waitForSelector('[data-testid="conversation"]')
    const { text } = await inspect(page)

    for (const payload of PAYLOADS) expect(text).toContain(payload)
    const attributes = await page.locator('[data-testid="span-attributes"] th').allTextContents()
    expect(attributes).toEqual(expect.arrayContaining(PROTO_KEYS))
    // Only the http(s) attribute became a link; the javascript: one is text.
    const links = await page
      .locator('[data-testid="span-attributes"] a')
      .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href))
    expect(links).toEqual(['https://example.com/docs?a=1'])
    await page.close()
  })

  test('an anomaly of a payload model: its list row, detail and markers show the name as text', async () => {
    const found = (await (
      await fetch(`${server.url}/api/v1/anomalies?${q({ from: String(Date.now() - 3_600_000) })}`)
    ).json()) as Anomalies
    const poisoned = found.anomalies.filter((a) => a.key.model === first)
    expect(poisoned.some((a) => a.kind === 'bucket')).toBe(true)
    expect(poisoned.some((a) => a.kind === 'span')).toBe(true)

    for (const anomaly of poisoned.filter((a, i) => i === 0 || a.kind === 'span').slice(0, 2)) {
      await visitClean(server, `/anomalies?${q({ range: '1h', id: anomalyId(anomaly) })}`)
    }
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    await page.goto(
      `${server.url}/anomalies?${q({ range: '1h', id: anomalyId(poisoned[0] as never) })}`,
    )
    await page.waitForSelector('[data-testid="anomaly-detail"] [data-testid="anomaly-sentence"]')
    expect(await page.locator('[data-testid="anomaly-detail"] h2').textContent()).toContain(first)
    expect(await page.locator('[data-testid="anomaly-key"]').allTextContents()).toContain(first)
    await page.goto(`${server.url}/?range=1h`)
    await page.waitForSelector('[data-testid="chart-latency"] [data-testid="chart-mark"]')
    const labels = await page
      .locator('[data-testid="chart-mark"]')
      .evaluateAll((marks) => marks.map((m) => m.getAttribute('aria-label') ?? ''))
    // Both payload models spiked in the same minute: one marker shows the worse of the two.
    const poisonedModels = [first, PAYLOADS[2] as string]
    expect(labels.some((label) => poisonedModels.some((model) => label.includes(model)))).toBe(true)
    await page.close()
  })

  test('alert rules named and filtered by payloads list them as text', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    await page.goto(`${server.url}/alerts`)
    await page.waitForSelector('[data-testid="rule-row"]')
    const names = await page.locator('[data-testid="rule-name"]').allTextContents()
    expect(names).toEqual(expect.arrayContaining(PAYLOADS.slice(0, 4) as unknown as string[]))
    const { xss } = await inspect(page)
    expect(xss).toBeNull()
    await page.close()
  })

  test('drift features named after payload scores and finish reasons are text', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    await page.goto(`${server.url}/drift?range=1h`)
    await page.waitForSelector('[data-testid="drift-row"]')
    await page.waitForLoadState('networkidle')
    const rows = await page.locator('[data-testid="drift-row"] td:first-child').allTextContents()
    expect(rows.some((row) => row.includes(`Score: ${first}`))).toBe(true)
    const bins = await page
      .locator('[data-testid="drift-feature"] th[scope="row"]')
      .allTextContents()
    expect(bins).toContain(first)
    await page.close()
  })

  test('payload model names label chart series as text', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    const problems = await watch(page)
    await page.goto(`${server.url}/cost`)
    await page.waitForSelector('[data-testid="chart-cost-model"] canvas')
    const labels = await page
      .locator('[data-testid="chart-cost-model"] .legend li .label')
      .allTextContents()

    expect(labels.some((label) => (PAYLOADS as readonly string[]).includes(label))).toBe(true)
    expect(
      await page
        .locator('[data-testid="chart-cost-model"] .legend .swatch')
        .evaluateAll((swatches) => swatches.map((s) => s.className.replace(/ svelte-\w+/, ''))),
    ).toEqual(labels.map((_, i) => `swatch s${i % 8}`))
    expect(allProblems(problems)).toEqual([])
    await page.close()
  })
})
