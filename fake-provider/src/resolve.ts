import { CATALOG } from './catalog.ts'
import { DEFAULT_ERROR_MIX, FAKE_ERROR_KINDS } from './errors.ts'
import type {
  FakeModelOptions,
  FakeProviderOptions,
  LatencySpike,
  ResolvedModel,
  ResolvedOptions,
} from './options.ts'

// Vectors past a few thousand floats only slow tests down; real models top out at 3072.
const EMBEDDING_DIMENSIONS_MAX = 4096

/** Checks every option once and fills defaults, so a bad value fails at construction. */
export function resolveOptions(options: FakeProviderOptions = {}): ResolvedOptions {
  const seed = options.seed ?? 1
  check(Number.isInteger(seed), 'seed', 'an integer', seed)

  const embeddingDimensions = options.embeddingDimensions ?? 8
  check(
    Number.isInteger(embeddingDimensions) &&
      embeddingDimensions >= 1 &&
      embeddingDimensions <= EMBEDDING_DIMENSIONS_MAX,
    'embeddingDimensions',
    `an integer in 1..${EMBEDDING_DIMENSIONS_MAX}`,
    embeddingDimensions,
  )

  const retryAfterMs = options.retryAfterMs ?? 1000
  check(retryAfterMs >= 0, 'retryAfterMs', 'a number >= 0', retryAfterMs)
  const timeoutHoldMs = options.timeoutHoldMs ?? 30_000
  check(timeoutHoldMs >= 0, 'timeoutHoldMs', 'a number >= 0', timeoutHoldMs)

  const defaults = options.defaults ?? {}
  checkModelOptions('defaults', defaults)
  const spikes = options.spikes ?? []
  for (const [index, spike] of spikes.entries()) checkSpike(`spikes[${index}]`, spike)

  const realistic = (options.latency ?? 'none') === 'realistic'
  const models = new Map<string, ResolvedModel>()
  const names = new Set([...Object.keys(CATALOG), ...Object.keys(options.models ?? {})])
  for (const name of names) {
    const configured = options.models?.[name] ?? {}
    checkModelOptions(`models["${name}"]`, configured)
    const entry = CATALOG[name]
    const layers = [defaults, entry?.options, realistic ? entry?.realistic : undefined, configured]
    models.set(name, buildModel(name, layers))
  }

  return {
    models,
    defaults,
    seed,
    spikes,
    embeddingDimensions,
    apiKeys: options.apiKeys ? new Set(options.apiKeys) : null,
    retryAfterMs,
    timeoutHoldMs,
    now: options.now ?? Date.now,
  }
}

/** The model for a requested name: configured or built in, else `defaults` alone. */
export function resolveModel(options: ResolvedOptions, name: string): ResolvedModel {
  return options.models.get(name) ?? buildModel(name, [options.defaults])
}

function buildModel(name: string, layers: Array<FakeModelOptions | undefined>): ResolvedModel {
  const merged: FakeModelOptions = Object.assign({}, ...layers.filter(Boolean))
  const provider = merged.provider ?? (name.startsWith('claude') ? 'anthropic' : 'openai')
  return {
    name,
    provider,
    respondAs: merged.respondAs ?? name,
    kind: merged.kind ?? (name.includes('embedding') ? 'embedding' : 'chat'),
    ownedBy: merged.ownedBy ?? (provider === 'openai' ? 'system' : 'anthropic'),
    latency: merged.latency ?? { medianMs: 0, p95Ms: 0 },
    ttftMs: merged.ttftMs ?? 0,
    chunkDelayMs: merged.chunkDelayMs ?? null,
    errorRate: merged.errorRate ?? 0,
    errorMix: merged.errorMix ?? DEFAULT_ERROR_MIX,
    reasoning: merged.reasoning ?? /^o\d/.test(name),
    contextWindowTokens:
      merged.contextWindowTokens ?? (provider === 'anthropic' ? 200_000 : 128_000),
  }
}

function checkModelOptions(path: string, model: FakeModelOptions): void {
  if (model.errorRate !== undefined) {
    const rate = model.errorRate
    check(rate >= 0 && rate <= 1, `${path}.errorRate`, 'a number in 0..1', rate)
  }
  if (model.latency !== undefined) {
    const { medianMs, p95Ms } = model.latency
    check(medianMs >= 0, `${path}.latency.medianMs`, 'a number >= 0', medianMs)
    check(p95Ms >= medianMs, `${path}.latency.p95Ms`, `a number >= medianMs (${medianMs})`, p95Ms)
  }
  if (model.ttftMs !== undefined) {
    check(model.ttftMs >= 0, `${path}.ttftMs`, 'a number >= 0', model.ttftMs)
  }
  if (model.chunkDelayMs !== undefined) {
    check(model.chunkDelayMs >= 0, `${path}.chunkDelayMs`, 'a number >= 0', model.chunkDelayMs)
  }
  for (const [kind, weight] of Object.entries(model.errorMix ?? {})) {
    const known = (FAKE_ERROR_KINDS as readonly string[]).includes(kind)
    check(known, `${path}.errorMix`, `keys among ${FAKE_ERROR_KINDS.join(', ')}`, kind)
    check(weight >= 0, `${path}.errorMix.${kind}`, 'a weight >= 0', weight)
  }
}

function checkSpike(path: string, spike: LatencySpike): void {
  check(spike.multiplier > 0, `${path}.multiplier`, 'a number > 0', spike.multiplier)
  if (spike.fraction !== undefined) {
    const fraction = spike.fraction
    check(fraction >= 0 && fraction <= 1, `${path}.fraction`, 'a number in 0..1', fraction)
  }
  if (spike.durationMs !== undefined) {
    check(spike.durationMs >= 0, `${path}.durationMs`, 'a number >= 0', spike.durationMs)
  }
}

function check(ok: boolean, path: string, expected: string, actual: unknown): void {
  if (!ok) {
    throw new TypeError(`fake-provider: ${path} must be ${expected} (actual: ${String(actual)})`)
  }
}
