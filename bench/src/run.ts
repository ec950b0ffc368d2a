import { mkdirSync, writeFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { runAnalyticsBench } from './analytics-bench.ts'
import { runDashboardBench } from './dashboard-bench.ts'
import { type IngestRun, ingestRun } from './ingest-bench.ts'
import { runOtlpBench } from './otlp-bench.ts'
import { runPythonOverhead } from './python-overhead.ts'
import { type Results, renderReport } from './report.ts'
import { renderSdkOverhead, runSdkOverheadBench } from './sdk-overhead.ts'
import { runSseBench } from './sse-bench.ts'
import { runSummaryBench } from './summary-bench.ts'
import { progress, withTempDir } from './temp.ts'
import { prepareWorkload } from './workload.ts'

const SECTIONS = [
  'ingest',
  'summary',
  'sse',
  'otlp',
  'analytics',
  'sdk',
  'python',
  'dashboard',
] as const
type Section = (typeof SECTIONS)[number]

/**
 * Sizes of each run. The full plan takes about seven minutes on two shared cores: each ingest
 * run lasts a few seconds at the targets (200,000 spans at 100k spans/s is 2 s), the million-span
 * fill takes ~10 s at store.write's pace, and 300 POSTs 5 ms apart take a few seconds. The
 * dashboard's million spans go in over HTTP, as an application would send them, which takes
 * about two of the seven. The quick plan only proves every path works and the report is well
 * formed.
 */
const PLANS = {
  full: {
    ingest: [
      { batchSize: 1000, spans: 200_000 },
      { batchSize: 100, spans: 100_000 },
    ],
    concurrency: 4,
    breakdownRepeats: 30,
    summarySizes: [100_000, 1_000_000],
    summaryRuns: 5,
    ssePosts: 300,
    analyticsSizes: [100_000, 1_000_000],
    analyticsRuns: 3,
    sdkPairs: 5_000,
    sseGapMs: 5,
    otlp: { batchSize: 1000, spans: 100_000 },
    dashboard: { spans: 1_000_000, runs: 5 },
  },
  quick: {
    ingest: [
      { batchSize: 1000, spans: 10_000 },
      { batchSize: 100, spans: 5_000 },
    ],
    concurrency: 4,
    breakdownRepeats: 5,
    summarySizes: [10_000, 50_000],
    summaryRuns: 3,
    ssePosts: 50,
    analyticsSizes: [10_000, 50_000],
    analyticsRuns: 2,
    sdkPairs: 200,
    sseGapMs: 2,
    otlp: { batchSize: 1000, spans: 5_000 },
    dashboard: { spans: 20_000, runs: 2 },
  },
}
type Plan = (typeof PLANS)[keyof typeof PLANS]

/** The issue asks where the time of one batch of this size goes. */
const BREAKDOWN_BATCH_SIZE = 1000

/** Every run is seeded, so two runs send the same spans and differ only in the machine. */
const SEED = 20_260_101

const RESULTS_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', 'results', 'latest.json')

function readArgs(argv: string[]): { quick: boolean; sections: Section[] } {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string', multiple: true },
    },
    strict: true,
    allowPositionals: false,
  })
  const only = (values.only ?? []).flatMap((value) => value.split(','))
  const unknown = only.filter((value) => !(SECTIONS as readonly string[]).includes(value))
  if (unknown.length > 0) {
    throw new Error(`--only takes ${SECTIONS.join(', ')} (actual: ${unknown.join(', ')})`)
  }
  return {
    quick: values.quick ?? false,
    sections: only.length > 0 ? (only as Section[]) : [...SECTIONS],
  }
}

async function ingestSection(dir: string, plan: Plan): Promise<IngestRun[]> {
  const runs = []
  for (const { batchSize, spans } of plan.ingest) {
    progress(`ingest: batch ${batchSize}, ${spans} spans`)
    const workload = prepareWorkload(batchSize, SEED)
    const repeats = batchSize === BREAKDOWN_BATCH_SIZE ? plan.breakdownRepeats : 0
    runs.push(await ingestRun(dir, workload, spans, plan.concurrency, repeats))
  }
  return runs
}

async function main(): Promise<void> {
  const { quick, sections } = readArgs(process.argv.slice(2))
  const plan = quick ? PLANS.quick : PLANS.full
  const startedAt = new Date()
  const results: Results = {}

  await withTempDir(async (dir) => {
    if (sections.includes('ingest')) results.ingest = await ingestSection(dir, plan)
    if (sections.includes('summary')) {
      progress(`summary: filling to ${plan.summarySizes.join(', ')} spans`)
      results.summary = runSummaryBench(
        join(dir, 'summary.db'),
        plan.summarySizes,
        plan.summaryRuns,
        SEED,
      )
    }
    if (sections.includes('analytics')) {
      progress(
        `analytics: anomalies over 24 h and compare over 1 h at ${plan.analyticsSizes.join(', ')} spans`,
      )
      results.analytics = await runAnalyticsBench(
        dir,
        plan.analyticsSizes,
        plan.analyticsRuns,
        SEED,
      )
    }
    if (sections.includes('sse')) {
      progress(`sse: ${plan.ssePosts} single-span POSTs with one live client`)
      results.sse = await runSseBench(join(dir, 'sse.db'), plan.ssePosts, plan.sseGapMs, SEED)
    }
    if (sections.includes('otlp')) {
      const { batchSize, spans } = plan.otlp
      progress(`otlp: ${spans} spans in protobuf batches of ${batchSize}, and natively`)
      results.otlp = [await runOtlpBench(dir, batchSize, spans, plan.concurrency, SEED)]
    }
  })
  // The SDK and dashboard reports have shapes of their own, so they follow the main report as
  // they are.
  const ownReports: string[] = []
  if (sections.includes('sdk')) {
    progress(`sdk: ${plan.sdkPairs} interleaved plain and observed calls per row (TypeScript)`)
    results.sdk = await runSdkOverheadBench(plan.sdkPairs)
    ownReports.push(renderSdkOverhead(results.sdk))
  }
  if (sections.includes('python')) {
    progress(`python: ${plan.sdkPairs} interleaved plain and observed calls per row (Python)`)
    ownReports.push(await runPythonOverhead(plan.sdkPairs))
  }
  if (sections.includes('dashboard')) {
    const { spans, runs } = plan.dashboard
    progress(`dashboard: overview in Chromium with ${spans} spans stored, ${runs} cold loads`)
    ownReports.push(await runDashboardBench(spans, runs))
  }

  const finishedAt = new Date()
  const machine = {
    bun: Bun.version,
    platform: process.platform,
    arch: process.arch,
    cores: availableParallelism(),
  }
  const record = {
    startedAt: startedAt.toISOString(),
    seconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
    mode: quick ? 'quick' : 'full',
    sections,
    machine,
    plan,
    results,
  }
  mkdirSync(dirname(RESULTS_PATH), { recursive: true })
  writeFileSync(RESULTS_PATH, `${JSON.stringify(record, null, 2)}\n`)

  const took = `${record.seconds.toFixed(0)} s`
  const where = `Bun ${machine.bun}, ${machine.cores} cores`
  const header = `llmlens bench, ${record.mode}, ${where}, ${took}`
  const report = [renderReport(results), ...ownReports].filter((part) => part !== '').join('\n\n')
  process.stdout.write(`${header}\n\n${report}\n`)
  progress(`wrote ${RESULTS_PATH}`)
}

await main()
