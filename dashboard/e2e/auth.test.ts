import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Browser } from 'playwright-core'
import {
  allProblems,
  fillDemo,
  launchBrowser,
  startServer,
  type TestServer,
  watch,
} from './harness.ts'

const KEY = 'e2e-key-0123456789abcdef'

let browser: Browser
let server: TestServer

beforeAll(async () => {
  ;[browser, server] = await Promise.all([launchBrowser(), startServer({ apiKeys: [KEY] })])
  await fillDemo(server.url, { hours: 1, apiKey: KEY })
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

describe('with API keys configured', () => {
  test('the dashboard asks for a key, refuses a wrong one, and works with a right one', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    const problems = await watch(page)
    await page.goto(`${server.url}/`)
    await page.waitForSelector('[data-testid="sign-in"]')

    await page.fill('#api-key', 'not-the-key-at-all')
    await page.click('[data-testid="sign-in"] button[type="submit"]')
    await page.waitForSelector('[data-testid="sign-in"] [role="alert"]')
    expect(await page.locator('[data-testid="sign-in"] [role="alert"]').textContent()).toContain(
      'not one of this server',
    )

    await page.fill('#api-key', KEY)
    await page.click('[data-testid="sign-in"] button[type="submit"]')
    await page.waitForSelector('[data-testid="stat-requests"] .value:not([data-value=""])')
    await page.waitForSelector('[data-testid="live-indicator"][data-status="live"]')

    const [cookie] = await context.cookies()
    expect(cookie).toMatchObject({
      name: 'llmlens_session',
      httpOnly: true,
      sameSite: 'Strict',
      path: '/api/',
    })
    expect(cookie?.value).not.toContain(KEY)
    expect(await page.evaluate(() => document.cookie)).toBe('')
    // The wrong key's 401 is reported by the browser; nothing else may go wrong.
    expect(allProblems(problems)).toEqual([expect.stringContaining('401')])
    await context.close()
  })

  test('the session lasts across reloads and ends with sign-out', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(`${server.url}/`)
    await page.waitForSelector('[data-testid="sign-in"]')
    await page.fill('#api-key', KEY)
    await page.keyboard.press('Enter')
    await page.waitForSelector('[data-testid="sign-out"]')

    await page.reload()
    await page.waitForSelector('[data-testid="stat-requests"]')
    await page.click('[data-testid="sign-out"]')
    await page.waitForSelector('[data-testid="sign-in"]')
    await page.reload()
    await page.waitForSelector('[data-testid="sign-in"]')

    const spans = await page.evaluate(() => fetch('/api/v1/spans').then((r) => r.status))
    expect(spans).toBe(401)
    await context.close()
  })

  test('a state-changing request with the cookie from another origin is refused', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(`${server.url}/`)
    await page.waitForSelector('[data-testid="sign-in"]')
    await page.fill('#api-key', KEY)
    await page.keyboard.press('Enter')
    await page.waitForSelector('[data-testid="sign-out"]')
    const [cookie] = await context.cookies()
    const session = `llmlens_session=${cookie?.value}`
    const body = JSON.stringify({ spans: [] })

    const post = (headers: Record<string, string>) =>
      fetch(`${server.url}/api/v1/ingest`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: session, ...headers },
        body,
      }).then((r) => r.status)

    expect(await post({ origin: 'http://evil.example' })).toBe(403)
    expect(await post({})).toBe(403)
    expect(await post({ origin: server.url })).toBe(200)
    // The same request from the dashboard's own page carries its Origin and passes.
    const fromPage = await page.evaluate(
      (json) =>
        fetch('/api/v1/ingest', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: json,
        }).then((r) => r.status),
      body,
    )
    expect(fromPage).toBe(200)
    await context.close()
  })
})
