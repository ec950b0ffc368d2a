import { chance, logNormal, normal, pick, type Random } from './random.ts'
import { FEEDBACK_COMMENTS } from './scenario.ts'
import type { TraceContext } from './trace-builder.ts'
import type { WireScore, WireSpan } from './wire.ts'

// About one request in seven gets a rating, typical of an in-product feedback widget.
const FEEDBACK_RATE = 0.14
// Variant b is the better experience: the A/B comparison should find this difference.
const VARIANT_B_BONUS = 0.08

/** User feedback on a finished trace: sometimes a helpfulness rating, often with thumbs. */
export function feedbackFor(random: Random, context: TraceContext, root: WireSpan): WireScore[] {
  if (!chance(random, FEEDBACK_RATE)) return []

  const base =
    root.status === 'error' ? 0.12 : 0.66 + (context.variant === 'b' ? VARIANT_B_BONUS : 0)
  const helpfulness = Math.min(1, Math.max(0, base + normal(random) * 0.16))
  const time = root.endTime + logNormal(random, 15_000, 90_000)
  const comment = chance(random, 0.2) ? pick(random, FEEDBACK_COMMENTS) : null
  const on = { traceId: root.traceId, spanId: root.spanId, source: 'user' as const, time }

  const scores: WireScore[] = [
    {
      ...on,
      name: 'helpfulness',
      value: Math.round(helpfulness * 100) / 100,
      label: null,
      comment,
    },
  ]
  if (chance(random, 0.7)) {
    const label = helpfulness >= 0.55 ? 'up' : 'down'
    scores.push({ ...on, name: 'thumbs', value: null, label, comment: null })
  }
  return scores
}
