import type { Random } from './random.ts'

/** Errors the fake can inject, by header or by a model's error rate. */
export const FAKE_ERROR_KINDS = [
  'rate_limit',
  'server_error',
  'auth',
  'context_length',
  'timeout',
  'overloaded',
] as const
export type FakeErrorKind = (typeof FAKE_ERROR_KINDS)[number]

/** Every error the fake answers with: the injectable ones plus those real requests can earn. */
export type ApiErrorKind = FakeErrorKind | 'invalid_request' | 'not_found'

/** An error to answer with; a class so results can be told apart from parsed values. */
export class ApiError {
  constructor(
    readonly kind: ApiErrorKind,
    readonly message: string,
    /** The request field at fault, reported as `param` by OpenAI. */
    readonly param?: string,
  ) {}
}

// Status codes are also accepted in `x-fake-error`, since tests often think in codes.
const HEADER_VALUES: Record<string, FakeErrorKind> = {
  '429': 'rate_limit',
  '500': 'server_error',
  '401': 'auth',
  '503': 'overloaded',
  '529': 'overloaded',
  '504': 'timeout',
  context_length: 'context_length',
  rate_limit: 'rate_limit',
  server_error: 'server_error',
  auth: 'auth',
  timeout: 'timeout',
  overloaded: 'overloaded',
}

export const ERROR_HEADER_ALLOWED = Object.keys(HEADER_VALUES).join(', ')

/** Reads `x-fake-error`; an unknown value is reported rather than ignored. */
export function parseErrorHeader(value: string | null): FakeErrorKind | ApiError | null {
  if (value === null || value.trim() === '') return null
  const kind = HEADER_VALUES[value.trim().toLowerCase()]
  if (kind !== undefined) return kind
  const allowed = `x-fake-error must be one of ${ERROR_HEADER_ALLOWED} (actual: "${value}")`
  return new ApiError('invalid_request', allowed)
}

export const DEFAULT_ERROR_MIX: Partial<Record<FakeErrorKind, number>> = {
  rate_limit: 6,
  server_error: 3,
  overloaded: 1,
}

/** Decides whether this call fails, and how, from the model's rate and mix. */
export function drawError(
  random: Random,
  errorRate: number,
  errorMix: Partial<Record<FakeErrorKind, number>>,
): FakeErrorKind | null {
  // Two draws on every call keep the sequence aligned whether or not the call fails.
  const failDraw = random()
  const kindDraw = random()
  if (failDraw >= errorRate) return null

  const weighted = FAKE_ERROR_KINDS.map((kind) => [kind, errorMix[kind] ?? 0] as const)
  const totalWeight = weighted.reduce((sum, [, weight]) => sum + weight, 0)
  if (totalWeight <= 0) return null

  let remaining = kindDraw * totalWeight
  for (const [kind, weight] of weighted) {
    remaining -= weight
    if (remaining < 0) return kind
  }
  return weighted.findLast(([, weight]) => weight > 0)?.[0] ?? null
}
