import type { Metrics, TestResultReply } from '@llmlens/spec'
import type { CallSample, CallSamples, ScoreSamples } from '../store/types.ts'
import {
  MEDIAN_DEFAULTS,
  medianComparison,
  type TestResult,
  twoProportionTest,
  welchComparison,
} from './significance.ts'

/** What one arm of a comparison brings: exact totals, and samples of the values tested. */
export interface Arm {
  name: string
  summary: Metrics
  calls: CallSamples
  scores: ScoreSamples
}

export const ALPHA = 0.05

function present(calls: readonly CallSample[], pick: (c: CallSample) => number | null): number[] {
  const values: number[] = []
  for (const call of calls) {
    const value = pick(call)
    if (value !== null) values.push(value)
  }
  return values
}

const succeeded = (calls: readonly CallSample[]) => calls.filter((c) => c.errorType === null)

function reply(result: TestResult): TestResultReply {
  const significant = result.warning === null && result.pValue !== null && result.pValue < ALPHA
  return { ...result, significant }
}

/**
 * Side-by-side tests of arm b against arm a, each with a test that fits its data: latency and
 * TTFT are skewed, so their medians are compared by rank (Mann-Whitney) with a bootstrap
 * interval; error rate is a proportion of exact counts; cost, tokens and scores are means, where
 * Welch's t holds by the central limit theorem at the sizes that pass the small-sample bar.
 */
export function compareArms(
  a: Arm,
  b: Arm,
): { tests: Record<string, TestResultReply>; warnings: string[] } {
  const okA = succeeded(a.calls.calls)
  const okB = succeeded(b.calls.calls)
  const tests: Record<string, TestResultReply> = {
    latencyMs: reply(
      medianComparison(
        present(a.calls.calls, (c) => c.durationMs),
        present(b.calls.calls, (c) => c.durationMs),
        MEDIAN_DEFAULTS,
      ),
    ),
    ttftMs: reply(
      medianComparison(
        present(a.calls.calls, (c) => c.ttftMs),
        present(b.calls.calls, (c) => c.ttftMs),
      ),
    ),
    errorRate: reply(
      twoProportionTest(
        a.summary.errorCount,
        a.summary.count,
        b.summary.errorCount,
        b.summary.count,
      ),
    ),
    costPerCallUsd: reply(
      welchComparison(
        present(okA, (c) => c.costUsd),
        present(okB, (c) => c.costUsd),
      ),
    ),
    inputTokens: reply(
      welchComparison(
        present(okA, (c) => c.inputTokens),
        present(okB, (c) => c.inputTokens),
      ),
    ),
    outputTokens: reply(
      welchComparison(
        present(okA, (c) => c.outputTokens),
        present(okB, (c) => c.outputTokens),
      ),
    ),
  }
  const names = [...new Set([...Object.keys(a.scores.values), ...Object.keys(b.scores.values)])]
  for (const name of names.sort()) {
    tests[`scores.${name}`] = reply(
      welchComparison(a.scores.values[name] ?? [], b.scores.values[name] ?? []),
    )
  }
  return { tests, warnings: armWarnings([a, b]) }
}

function armWarnings(arms: readonly Arm[]): string[] {
  const warnings: string[] = []
  for (const arm of arms) {
    if (arm.summary.count === 0) warnings.push(`no calls match ${arm.name} in this range`)
    const { matched, calls } = arm.calls
    if (matched > calls.length) {
      warnings.push(
        `${arm.name}: latency, TTFT, cost and tokens are tested on a uniform sample of ` +
          `${calls.length} of its ${matched} calls; counts and error rate use every call`,
      )
    }
  }
  return warnings
}
