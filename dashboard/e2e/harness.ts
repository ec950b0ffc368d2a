/**
 * What the browser tests, the screenshots and the benchmark share: a real llmlens server on a
 * free port over a temporary database, demo traffic sent through the ingest API, and Debian's
 * Chromium driven by playwright-core.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Browser, chromium, type Page } from 'playwright-core'
import { backfillOptions, generateTraces, toBatches } from '../../examples/demo/traffic.ts'
import type { IngestBatch } from '../../examples/demo/wire.ts'

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const BUN = join(REPO_ROOT, 'node_modules', '.bin', 'bun')
const CHROMIUM = '/usr/bin/chromium'
// The flags that make Chromium run headless on a CI machine without a sandbox or a GPU, and
// keep it from calling out to Google's services.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
]

export interface TestServer {
  url: string
  child: ChildProcess
  /** Everything the server wrote to stderr, for a failing test to show. */
  log(): string
  stop(): Promise<void>
}

export interface ServerOptions {
  apiKeys?: string[]
  /** An existing database to serve; by default a fresh one that stop() deletes. */
  dbPath?: string
}

/** The real server (`bun server/src/main.ts`) on a free loopback port. */
export function startServer(options: ServerOptions = {}): Promise<TestServer> {
  if (!existsSync(join(REPO_ROOT, 'dashboard', 'build', 'index.html'))) {
    throw new Error('dashboard/build is missing: run `npm run build -w dashboard` first')
  }
  const dir = options.dbPath === undefined ? mkdtempSync(join(tmpdir(), 'llmlens-e2e-')) : null
  const dbPath = options.dbPath ?? join(dir as string, 'llmlens.db')
  const env: Record<string, string> = { ...(process.env as Record<string, string>) }
  env.LLMLENS_DB = dbPath
  env.LLMLENS_LOG_LEVEL = 'warn'
  if (options.apiKeys) env.LLMLENS_API_KEYS = options.apiKeys.join(',')
  else delete env.LLMLENS_API_KEYS

  const child = spawn(BUN, ['server/src/main.ts', '--port', '0', '--log-level', 'info'], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let log = ''
  return new Promise((resolve, reject) => {
    child.stdout?.resume()
    child.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString('utf8')
      const match = /msg="llmlens started" url=(\S+)/.exec(log)
      if (match) {
        resolve({
          url: match[1] as string,
          child,
          log: () => log,
          stop: async () => {
            await stopChild(child)
            if (dir !== null) rmSync(dir, { recursive: true, force: true })
          },
        })
      }
    })
    child.once('exit', (code) =>
      reject(new Error(`server exited (${code}) before starting:\n${log}`)),
    )
  })
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}

export interface IngestOptions {
  apiKey?: string
}

/** Posts one ingest body; throws with the server's answer unless every item was accepted. */
export async function ingest(url: string, body: unknown, options: IngestOptions = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`
  const response = await fetch(`${url}/api/v1/ingest`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  })
  const reply = (await response.json()) as { accepted: number; rejected: unknown[] }
  if (!response.ok || reply.rejected.length > 0) {
    throw new Error(`ingest answered ${response.status}: ${JSON.stringify(reply).slice(0, 500)}`)
  }
  return reply
}

export interface DemoFill {
  spans: number
  scores: number
  nowMs: number
}

/**
 * The demo's traffic for the last `hours`, generated in memory and sent as ingest requests,
 * so a test gets hours of history in a second or two instead of waiting for it.
 */
export async function fillDemo(
  url: string,
  options: { hours?: number; tracesPerMinute?: number; seed?: number; apiKey?: string } = {},
): Promise<DemoFill> {
  const nowMs = Date.now()
  const traffic = backfillOptions(
    nowMs,
    options.hours ?? 6,
    options.tracesPerMinute ?? 6,
    options.seed ?? 7,
  )
  const fill: DemoFill = { spans: 0, scores: 0, nowMs }
  for (const batch of toBatches(generateTraces(traffic)) as Iterable<IngestBatch>) {
    await ingest(url, batch, { apiKey: options.apiKey })
    fill.spans += batch.spans.length
    fill.scores += batch.scores.length
  }
  return fill
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
}

/** What went wrong in a page: console errors, uncaught errors, dialogs and CSP violations. */
export interface PageProblems {
  consoleErrors: string[]
  pageErrors: string[]
  dialogs: string[]
  cspViolations: string[]
}

/**
 * Records a page's problems from its first script on. CSP violations are read from the
 * document's securitypolicyviolation events, which an init script (not subject to the page's
 * CSP) collects before any of the page's own code runs.
 */
export async function watch(page: Page): Promise<PageProblems> {
  const problems: PageProblems = {
    consoleErrors: [],
    pageErrors: [],
    dialogs: [],
    cspViolations: [],
  }
  page.on('console', (message) => {
    if (message.type() === 'error') problems.consoleErrors.push(message.text())
  })
  page.on('pageerror', (error) => problems.pageErrors.push(String(error)))
  page.on('dialog', (dialog) => {
    problems.dialogs.push(`${dialog.type()}: ${dialog.message()}`)
    void dialog.dismiss()
  })
  await page.exposeFunction('__llmlensCspViolation', (text: string) => {
    problems.cspViolations.push(text)
  })
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = `${event.violatedDirective} blocked ${event.blockedURI} (${event.sourceFile}:${event.lineNumber})`
      ;(window as unknown as { __llmlensCspViolation(text: string): void }).__llmlensCspViolation(
        report,
      )
    })
  })
  return problems
}

/** All problems as one list, for `expect(...).toEqual([])` to print in full. */
export function allProblems(problems: PageProblems): string[] {
  return [
    ...problems.consoleErrors.map((text) => `console: ${text}`),
    ...problems.pageErrors.map((text) => `page error: ${text}`),
    ...problems.dialogs.map((text) => `dialog: ${text}`),
    ...problems.cspViolations.map((text) => `CSP: ${text}`),
  ]
}

/** Waits until nothing is loading: the page's reads have answered and charts are drawn. */
export async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle')
}
