import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { createIngest } from '../ingest/ingest.ts'
import { memoryLogger } from '../log.ts'
import { createPricer } from '../pricing/index.ts'
import { Hub } from '../realtime/hub.ts'
import { SqliteStore } from '../store/sqlite/sqlite-store.ts'
import { createApp } from './app.ts'
import { SESSION_COOKIE, SessionStore } from './auth.ts'

const KEY = 'k-0123456789abcdef'
const INDEX = '<!doctype html><title>llmlens</title><script src="/_app/immutable/boot.js"></script>'
const APP_JS = 'console.log("app")'
const SPAN = {
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  name: 'chat',
  startTime: Date.UTC(2026, 0, 15, 12),
  endTime: Date.UTC(2026, 0, 15, 12) + 300,
}

let buildDir: string

beforeAll(() => {
  buildDir = mkdtempSync(join(tmpdir(), 'llmlens-dashboard-'))
  mkdirSync(join(buildDir, '_app/immutable/entry'), { recursive: true })
  writeFileSync(join(buildDir, 'index.html'), INDEX)
  writeFileSync(join(buildDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>')
  writeFileSync(join(buildDir, '_app/immutable/entry/app.abc123.js'), APP_JS)
  writeFileSync(join(buildDir, '_app/immutable/entry/app.abc123.js.gz'), gzipSync(APP_JS))
})

afterAll(() => rmSync(buildDir, { recursive: true, force: true }))

function app(options: { apiKeys?: string[]; dashboardDir?: string } = {}) {
  const store = new SqliteStore({ path: ':memory:' })
  const hub = new Hub()
  const log = memoryLogger()
  const ingest = createIngest({ store, pricer: createPricer(), hub, log })
  const created = createApp({
    store,
    ingest,
    hub,
    log,
    version: 'test',
    apiKeys: options.apiKeys ?? [],
    bodyBytesMax: 1024 * 1024,
    dashboardDir: options.dashboardDir ?? buildDir,
  })
  return { request: (path: string, init?: RequestInit) => created.request(path, init), log }
}

describe('the dashboard at /', () => {
  test('index.html with a strict CSP, nosniff, frame denial and no-cache', async () => {
    const response = await app().request('/')

    expect(response.status).toBe(200)
    expect(await response.text()).toBe(INDEX)
    expect(response.headers.get('content-type')).toStartWith('text/html')
    expect(response.headers.get('cache-control')).toBe('no-cache')
    expect(response.headers.get('content-security-policy')).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; " +
        "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; " +
        "form-action 'self'; frame-ancestors 'none'",
    )
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(response.headers.get('x-frame-options')).toBe('DENY')
  })

  test.each(['/traces', '/traces/4bf92f3577b34da6a3ce929d0e0e4736', '/models?model=gpt-4o'])(
    'client-side route %s gets index.html',
    async (path) => {
      const response = await app().request(path)
      expect(response.status).toBe(200)
      expect(await response.text()).toBe(INDEX)
    },
  )

  test('hashed assets are cached for a year and served gzipped when the browser takes it', async () => {
    const path = '/_app/immutable/entry/app.abc123.js'
    const plain = await app().request(path)
    const gzipped = await app().request(path, { headers: { 'accept-encoding': 'gzip, br' } })

    expect(plain.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(plain.headers.get('content-type')).toStartWith('text/javascript')
    expect(await plain.text()).toBe(APP_JS)
    expect(gzipped.headers.get('content-encoding')).toBe('gzip')
    expect(gzipped.headers.get('vary')).toBe('Accept-Encoding')
    expect(gzipped.headers.get('content-security-policy')).toContain("script-src 'self'")
  })

  test('a missing file is a 404, never index.html', async () => {
    for (const path of ['/_app/immutable/entry/gone.js', '/robots.txt']) {
      const response = await app().request(path)
      expect(response.status).toBe(404)
      expect(await response.text()).not.toContain('<title>')
    }
  })

  test('API paths keep their JSON 404 and their own routes', async () => {
    const unknown = await app().request('/api/v1/nothing-here')
    expect(unknown.status).toBe(404)
    expect(await unknown.json()).toEqual({ error: 'no route for GET /api/v1/nothing-here' })
    expect(await (await app().request('/healthz')).text()).toBe('ok')
    expect((await app().request('/v1/traces')).status).toBe(404)
  })

  test('paths that climb out of the build directory are refused', async () => {
    for (const path of ['/..%2f..%2fpackage.json', '/%2e%2e/%2e%2e/package.json', '/_app//x.js']) {
      const response = await app().request(path)
      expect(response.status).toBe(404)
    }
  })

  test('without a build the API still works and / says how to build the dashboard', async () => {
    const { request, log } = app({ dashboardDir: join(buildDir, 'missing') })
    const root = await request('/')

    expect(root.status).toBe(503)
    expect(await root.text()).toContain('npm run build -w dashboard')
    expect((await request('/api/v1/spans')).status).toBe(200)
    expect(log.lines.some((line) => line.includes('dashboard not built'))).toBe(true)
  })
})

/** The session cookie's value from a Set-Cookie header, and the header itself. */
function sessionCookie(response: Response): { value: string; header: string } {
  const header = response.headers.get('set-cookie') ?? ''
  const value = new RegExp(`${SESSION_COOKIE}=([^;]*)`).exec(header)?.[1] ?? ''
  return { value, header }
}

describe('dashboard sessions with API keys configured', () => {
  const own = { origin: 'http://localhost' }

  async function signIn(request: ReturnType<typeof app>['request']) {
    const response = await request('/api/v1/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...own },
      body: JSON.stringify({ apiKey: KEY }),
    })
    expect(response.status).toBe(200)
    return `${SESSION_COOKIE}=${sessionCookie(response).value}`
  }

  test('GET /api/v1/session says a key is needed, and whether this browser has a session', async () => {
    const { request } = app({ apiKeys: [KEY] })
    expect(await (await request('/api/v1/session')).json()).toEqual({
      authRequired: true,
      authenticated: false,
    })
    const cookie = await signIn(request)
    const after = await request('/api/v1/session', { headers: { cookie } })
    expect(await after.json()).toEqual({ authRequired: true, authenticated: true })
  })

  test('without keys the session answers that no sign-in is needed', async () => {
    const { request } = app()
    expect(await (await request('/api/v1/session')).json()).toEqual({
      authRequired: false,
      authenticated: true,
    })
  })

  test('signing in sets an HttpOnly, SameSite=Strict cookie scoped to the API', async () => {
    const { request } = app({ apiKeys: [KEY] })
    const response = await request('/api/v1/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...own },
      body: JSON.stringify({ apiKey: KEY }),
    })
    const { value, header } = sessionCookie(response)

    expect(value).toMatch(/^[\w-]{43}$/)
    expect(header).toContain('HttpOnly')
    expect(header).toContain('SameSite=Strict')
    expect(header).toContain('Path=/api/')
    expect(header).toMatch(/Max-Age=\d+/)
    expect(header).not.toContain('Secure')
    expect(response.headers.get('cache-control')).toBe('no-store')
  })

  test('a wrong key, a bad body or another origin gets no session', async () => {
    const { request } = app({ apiKeys: [KEY] })
    const post = (body: string, headers: Record<string, string> = own) =>
      request('/api/v1/session', { method: 'POST', headers, body })

    const wrong = await post(JSON.stringify({ apiKey: 'k-not-the-right-one' }))
    expect(wrong.status).toBe(401)
    expect(wrong.headers.get('set-cookie')).toBeNull()
    expect((await post('apiKey=x')).status).toBe(400)
    expect((await post(JSON.stringify({ key: KEY }))).status).toBe(400)
    expect(
      (await post(JSON.stringify({ apiKey: KEY }), { origin: 'http://evil.test' })).status,
    ).toBe(403)
    expect((await post(JSON.stringify({ apiKey: KEY }), {})).status).toBe(403)
  })

  test('the cookie authenticates reads; a forged cookie does not', async () => {
    const { request } = app({ apiKeys: [KEY] })
    const cookie = await signIn(request)

    expect((await request('/api/v1/spans')).status).toBe(401)
    expect((await request('/api/v1/spans', { headers: { cookie } })).status).toBe(200)
    const forged = `${SESSION_COOKIE}=${'A'.repeat(43)}`
    expect((await request('/api/v1/spans', { headers: { cookie: forged } })).status).toBe(401)
  })

  test('a state-changing request signed in by cookie must come from this origin', async () => {
    const { request } = app({ apiKeys: [KEY] })
    const cookie = await signIn(request)
    const ingest = (headers: Record<string, string>) =>
      request('/api/v1/ingest', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ spans: [SPAN] }),
      })

    expect((await ingest({ cookie })).status).toBe(403)
    expect((await ingest({ cookie, origin: 'http://localhost:8080' })).status).toBe(403)
    expect((await ingest({ cookie, origin: 'null' })).status).toBe(403)
    expect((await ingest({ cookie, ...own })).status).toBe(200)
    // A bearer key is not ambient authority, so no Origin is needed with it.
    expect((await ingest({ authorization: `Bearer ${KEY}` })).status).toBe(200)
  })

  test('signing out ends the session and clears the cookie, only from this origin', async () => {
    const { request } = app({ apiKeys: [KEY] })
    const cookie = await signIn(request)

    const foreign = await request('/api/v1/session', {
      method: 'DELETE',
      headers: { cookie, origin: 'http://evil.test' },
    })
    expect(foreign.status).toBe(403)
    expect((await request('/api/v1/spans', { headers: { cookie } })).status).toBe(200)

    const out = await request('/api/v1/session', { method: 'DELETE', headers: { cookie, ...own } })
    expect(out.status).toBe(204)
    expect(sessionCookie(out).header).toMatch(/Max-Age=0/)
    expect((await request('/api/v1/spans', { headers: { cookie } })).status).toBe(401)
  })
})

describe('SessionStore', () => {
  test('a session expires after its lifetime', () => {
    let nowMs = 1_000
    const sessions = new SessionStore({ ttlMs: 100, sessionsMax: 10, now: () => nowMs })
    const { token, expiresMs } = sessions.create()

    expect(expiresMs).toBe(1_100)
    expect(sessions.isValid(token)).toBe(true)
    nowMs = 1_100
    expect(sessions.isValid(token)).toBe(false)
  })

  test('past sessionsMax the oldest session ends first', () => {
    const sessions = new SessionStore({ ttlMs: 1_000, sessionsMax: 2 })
    const first = sessions.create().token
    const second = sessions.create().token
    const third = sessions.create().token

    expect(sessions.size).toBe(2)
    expect([first, second, third].map((token) => sessions.isValid(token))).toEqual([
      false,
      true,
      true,
    ])
  })

  test('tokens are unguessable and unknown or empty tokens are refused', () => {
    const sessions = new SessionStore()
    const tokens = new Set(Array.from({ length: 50 }, () => sessions.create().token))

    expect(tokens.size).toBe(50)
    expect(sessions.isValid(undefined)).toBe(false)
    expect(sessions.isValid('')).toBe(false)
    expect(sessions.isValid('not-a-session')).toBe(false)
  })
})
