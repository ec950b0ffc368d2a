import { runChild } from './child.ts'

/**
 * The dashboard's benchmark (dashboard/scripts/bench-lcp.ts): the overview's largest contentful
 * paint in Chromium with `spans` stored, and the JavaScript its first page loads. Builds the
 * dashboard first if its sources changed; returns the figures it prints.
 */
export async function runDashboardBench(spans: number, runs: number): Promise<string> {
  await runChild([process.execPath, 'dashboard/scripts/ensure-build.ts'])
  const out = await runChild([
    process.execPath,
    'dashboard/scripts/bench-lcp.ts',
    '--spans',
    String(spans),
    '--runs',
    String(runs),
  ])
  return out.trim()
}
