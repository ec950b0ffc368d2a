/**
 * Largest contentful paint of the overview with a million spans stored, and the JavaScript the
 * first page loads. Fills a fresh server through POST /api/v1/ingest, opens the overview in
 * Chromium several times in fresh browser contexts (a cold cache each time), reads LCP from a
 * PerformanceObserver in the page, and sums the JS the page fetched: the first page's (every
 * script requested before the headline numbers were on screen) and all of it once the network
 * is idle, which adds what loads lazily afterwards (the chart library).
 *
 * Usage: bun dashboard/scripts/bench-lcp.ts [--spans 1000000] [--runs 5]
 * Writes bench/results/dashboard.json; prints the figures.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { brotliCompressSync, gzipSync } from 'node:zlib'
import type { Page } from 'playwright-core'
import { generateSpans } from '../../bench/src/spans.ts'
import { ingest, launchBrowser, REPO_ROOT, startServer } from '../e2e/harness.ts'

const { values: flags } = parseArgs({
  args: Bun.argv.slice(2),
  options: {
    spans: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '5' },
  },
})
const SPANS = Number(flags.spans)
const RUNS = Number(flags.runs)
if (!Number.isInteger(SPANS) || SPANS < 1 || !Number.isInteger(RUNS) || RUNS < 1) {
  throw new Error(
    `--spans and --runs must be positive integers (actual: ${flags.spans}, ${flags.runs})`,
  )
}
// The ingest limit per request; fewer, larger requests fill fastest.
const BATCH = 10_000
// Spread over the overview's default range, so its first read covers every span stored.
const SPREAD_MS = 6 * 3_600_000 - 120_000
const BUILD_DIR = join(REPO_ROOT, 'dashboard', 'build')
const RESULTS = join(REPO_ROOT, 'bench', 'results', 'dashboard.json')

interface Run {
  lcpMs: number
  lcpElement: string
  numbersMs: number
  chartsMs: number
  summaryRequestMs: number
  /** GET /api/v1/anomalies for the charts' markers, the overview's last read. */
  anomaliesRequestMs: number
}

async function fill(url: string): Promise<number> {
  const startedMs = performance.now()
  const startMs = Date.now() - SPREAD_MS - 60_000
  for (let sent = 0, batch = 0; sent < SPANS; batch++) {
    const count = Math.min(BATCH, SPANS - sent)
    const idSegment = batch.toString(16).padStart(8, '0')
    // Prompts and completions are not read by the overview; leaving them out keeps the fill
    // to seconds instead of minutes without changing what the page reads.
    const spans = generateSpans(count, {
      seed: 1 + batch,
      startMs,
      spreadMs: SPREAD_MS,
      idSegment,
    }).map(({ input: _input, output: _output, ...span }) => span)
    await ingest(url, { spans })
    sent += count
    if (batch % 10 === 9) process.stderr.write(`\rfill: ${sent.toLocaleString('en-US')} spans`)
  }
  process.stderr.write('\n')
  return (performance.now() - startedMs) / 1000
}

/** Notes, from the first script on, when the headline numbers and the first chart appear. */
function recordMilestones(): void {
  const w = window as unknown as {
    __numbersMs?: number
    __chartsMs?: number
    __lcp: { ms: number; el: string }[]
  }
  w.__lcp = []
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as (PerformanceEntry & { element?: Element | null })[]) {
      const el = entry.element
      w.__lcp.push({
        ms: entry.startTime,
        el: el ? `${el.tagName.toLowerCase()}.${el.className}` : '',
      })
    }
  }).observe({ type: 'largest-contentful-paint', buffered: true })
  new MutationObserver(() => {
    const value = document.querySelector('[data-testid="stat-requests"] .value')
    if (w.__numbersMs === undefined && value && value.getAttribute('data-value') !== '') {
      w.__numbersMs = performance.now()
    }
    if (
      w.__chartsMs === undefined &&
      document.querySelector('[data-testid="chart-latency"] canvas')
    ) {
      w.__chartsMs = performance.now()
    }
  }).observe(document, { subtree: true, childList: true, attributes: true })
}

async function measure(page: Page, url: string): Promise<Run> {
  await page.addInitScript(recordMilestones)
  await page.goto(`${url}/`)
  await page.waitForFunction(
    () => (window as unknown as { __chartsMs?: number }).__chartsMs !== undefined,
    null,
    {
      timeout: 120_000,
    },
  )
  await page.waitForLoadState('networkidle')
  return page.evaluate(() => {
    const w = window as unknown as {
      __numbersMs: number
      __chartsMs: number
      __lcp: { ms: number; el: string }[]
    }
    const last = w.__lcp.at(-1) ?? { ms: Number.NaN, el: '' }
    const timing = (path: string) =>
      performance.getEntriesByType('resource').find((e) => e.name.includes(path)) as
        | PerformanceResourceTiming
        | undefined
    const summary = timing('/api/v1/metrics/summary')
    const anomalies = timing('/api/v1/anomalies')
    return {
      lcpMs: last.ms,
      lcpElement: last.el,
      numbersMs: w.__numbersMs,
      chartsMs: w.__chartsMs,
      summaryRequestMs: summary ? summary.responseEnd - summary.requestStart : Number.NaN,
      anomaliesRequestMs: anomalies ? anomalies.responseEnd - anomalies.requestStart : Number.NaN,
    }
  })
}

/**
 * Every script the page fetched, with when its request started (ms from navigation), its size
 * as built, gzipped, and as the server sent it.
 */
async function scripts(page: Page) {
  const entries = await page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .filter((e) => new URL(e.name).pathname.endsWith('.js'))
      .map((e) => ({
        path: new URL(e.name).pathname,
        startMs: Math.round(e.startTime),
        sentBytes: (e as PerformanceResourceTiming).encodedBodySize,
      })),
  )
  return entries.map(({ path, startMs, sentBytes }) => {
    const code = readFileSync(join(BUILD_DIR, path))
    return {
      path,
      startMs,
      bytes: code.length,
      gzipBytes: gzipSync(code, { level: 9 }).length,
      brotliBytes: brotliCompressSync(code).length,
      sentBytes,
    }
  })
}

type Script = Awaited<ReturnType<typeof scripts>>[number]

function totals(files: Script[]) {
  return {
    files: files.length,
    bytes: files.reduce((sum, f) => sum + f.bytes, 0),
    gzipBytes: files.reduce((sum, f) => sum + f.gzipBytes, 0),
    brotliBytes: files.reduce((sum, f) => sum + f.brotliBytes, 0),
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`

const server = await startServer()
const browser = await launchBrowser()
try {
  const fillSeconds = await fill(server.url)
  console.log(`fill: ${SPANS.toLocaleString('en-US')} spans in ${fillSeconds.toFixed(1)} s`)

  const runs: Run[] = []
  let files: Script[] = []
  // One unmeasured visit first: the server's page cache and statement caches warm up, as they
  // are on a server that has been running.
  for (let run = -1; run < RUNS; run++) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
    const page = await context.newPage()
    const result = await measure(page, server.url)
    if (run >= 0) runs.push(result)
    if (run === RUNS - 1) files = await scripts(page)
    await context.close()
  }

  const last = runs.at(-1) as Run
  const isChartLibrary = (f: Script) =>
    readFileSync(join(BUILD_DIR, f.path), 'utf8').includes('u-legend')
  // The first page is what the browser asked for before the headline numbers were on screen;
  // the chart library, loaded lazily after them, is counted with everything else.
  const firstPage = files.filter((f) => f.startMs < last.numbersMs)
  const chart = files.find(isChartLibrary) ?? null
  const report = {
    spans: SPANS,
    runs: RUNS,
    fillSeconds,
    lcpMs: { median: median(runs.map((r) => r.lcpMs)), all: runs.map((r) => Math.round(r.lcpMs)) },
    lcpElement: last.lcpElement,
    numbersShownMs: {
      median: median(runs.map((r) => r.numbersMs)),
      all: runs.map((r) => Math.round(r.numbersMs)),
    },
    chartsShownMs: {
      median: median(runs.map((r) => r.chartsMs)),
      all: runs.map((r) => Math.round(r.chartsMs)),
    },
    summaryRequestMs: { median: median(runs.map((r) => r.summaryRequestMs)) },
    anomaliesRequestMs: { median: median(runs.map((r) => r.anomaliesRequestMs)) },
    firstPageJs: {
      ...totals(firstPage),
      byFile: [...firstPage].sort((a, b) => b.bytes - a.bytes),
    },
    allJs: { ...totals(files), byFile: [...files].sort((a, b) => b.bytes - a.bytes) },
    chartLibrary:
      chart === null
        ? null
        : {
            path: chart.path,
            bytes: chart.bytes,
            gzipBytes: chart.gzipBytes,
            requestedAtMs: chart.startMs,
            numbersShownAtMs: Math.round(last.numbersMs),
          },
    measuredAt: new Date().toISOString(),
  }
  mkdirSync(join(REPO_ROOT, 'bench', 'results'), { recursive: true })
  writeFileSync(RESULTS, `${JSON.stringify(report, null, 2)}\n`)

  const first = report.firstPageJs
  const all = report.allJs
  console.log(
    `overview with ${SPANS.toLocaleString('en-US')} spans, ${RUNS} cold loads:\n` +
      `  largest contentful paint  median ${report.lcpMs.median.toFixed(0)} ms  (${report.lcpMs.all.join(', ')}) on ${report.lcpElement}\n` +
      `  headline numbers shown    median ${report.numbersShownMs.median.toFixed(0)} ms  (${report.numbersShownMs.all.join(', ')})\n` +
      `  first chart drawn         median ${report.chartsShownMs.median.toFixed(0)} ms  (${report.chartsShownMs.all.join(', ')})\n` +
      `  summary request           median ${report.summaryRequestMs.median.toFixed(0)} ms\n` +
      `  anomalies request         median ${report.anomaliesRequestMs.median.toFixed(0)} ms (markers, read last)\n` +
      `first-page JavaScript (requested before the numbers showed): ${first.files} files, ` +
      `${kb(first.bytes)} minified, ${kb(first.gzipBytes)} gzip, ${kb(first.brotliBytes)} brotli\n` +
      `all JavaScript by network idle: ${all.files} files, ${kb(all.bytes)} minified, ` +
      `${kb(all.gzipBytes)} gzip, ${kb(all.brotliBytes)} brotli` +
      (report.chartLibrary === null
        ? '\n'
        : `; of it the chart library ${kb(report.chartLibrary.bytes)} minified, ` +
          `${kb(report.chartLibrary.gzipBytes)} gzip, requested at ${report.chartLibrary.requestedAtMs} ms ` +
          `(numbers at ${report.chartLibrary.numbersShownAtMs} ms)\n`) +
      `written to ${RESULTS}`,
  )
} finally {
  await browser.close()
  await server.stop()
}
