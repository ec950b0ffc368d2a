import { readFileSync } from 'node:fs'
import type { PriceOverride } from './overrides.ts'

const rateKeys = [
  'inputPerMTokUsd',
  'outputPerMTokUsd',
  'cacheReadPerMTokUsd',
  'cacheWritePerMTokUsd',
] as const
const requiredRateKeys = new Set<string>(['inputPerMTokUsd', 'outputPerMTokUsd'])
const allowedKeys = new Set<string>(['model', 'match', 'provider', ...rateKeys])
const allowedKeysText = [...allowedKeys].join(', ')

/** Longest rendering of a bad value in a message, so a huge value cannot flood the log. */
const actualCharsMax = 60

function describe(value: unknown): string {
  if (value === undefined) return 'missing'
  const text = JSON.stringify(value) ?? String(value)
  return text.length > actualCharsMax ? `${text.slice(0, actualCharsMax)}…` : text
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Reports one mistake: where it is, what is allowed, and what was there. */
function fail(source: string, path: string, rule: string, actual: unknown): never {
  throw new Error(`${source}: ${path} ${rule} (actual: ${describe(actual)})`)
}

function checkText(source: string, path: string, value: unknown): string | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string' || value.trim() === '') {
    fail(source, path, 'must be a non-empty string', value)
  }
  return value
}

function checkPattern(source: string, path: string, value: unknown): string | undefined {
  const pattern = checkText(source, path, value)
  if (pattern === undefined) return undefined
  try {
    new RegExp(pattern, 'i')
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    fail(source, path, `must be a valid JavaScript regular expression (${reason})`, value)
  }
  return pattern
}

function checkRate(source: string, path: string, key: string, value: unknown): number | undefined {
  if (value === undefined && !requiredRateKeys.has(key)) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    fail(source, path, 'must be a number ≥ 0', value)
  }
  return value
}

function checkOverride(source: string, path: string, value: unknown): PriceOverride {
  if (!isRecord(value)) fail(source, path, 'must be an object', value)

  for (const key of Object.keys(value)) {
    if (!allowedKeys.has(key)) {
      fail(source, `${path}.${key}`, `is not a known key; allowed: ${allowedKeysText}`, value[key])
    }
  }

  const model = checkText(source, `${path}.model`, value.model)
  const match = checkPattern(source, `${path}.match`, value.match)
  const provider = checkText(source, `${path}.provider`, value.provider)
  if ((model === undefined) === (match === undefined)) {
    const actual = model === undefined ? 'neither' : 'both'
    throw new Error(
      `${source}: ${path} must have exactly one of model or match (actual: ${actual})`,
    )
  }

  const override: PriceOverride = {
    inputPerMTokUsd: 0,
    outputPerMTokUsd: 0,
    ...(model === undefined ? {} : { model }),
    ...(match === undefined ? {} : { match }),
    ...(provider === undefined ? {} : { provider }),
  }
  for (const key of rateKeys) {
    const rate = checkRate(source, `${path}.${key}`, key, value[key])
    if (rate !== undefined) override[key] = rate
  }
  return override
}

/**
 * Checks a list of price overrides; `source` and `path` name where the list came from in every
 * error message, such as `prices.json: models[2].inputPerMTokUsd must be a number ≥ 0`.
 */
export function checkOverrides(source: string, path: string, value: unknown): PriceOverride[] {
  if (!Array.isArray(value)) fail(source, path, 'must be an array of model prices', value)
  return value.map((entry, index) => checkOverride(source, `${path}[${index}]`, entry))
}

/**
 * Reads and validates a user price file (`LLMLENS_PRICES`). Every error message names the file,
 * the JSON path and what is allowed. Prices are USD per million tokens; an entry names its models
 * by exact `model` id or by a `match` regular expression, optionally for one `provider` only;
 * cache rates default to the input rate, and the first entry that covers a call wins.
 *
 * @example
 * // prices.json
 * { "models": [
 *   { "model": "llama-3.1-8b-instruct", "provider": "vllm",
 *     "inputPerMTokUsd": 0.1, "outputPerMTokUsd": 0.2 },
 *   { "match": "^acme-", "inputPerMTokUsd": 1, "outputPerMTokUsd": 4,
 *     "cacheReadPerMTokUsd": 0.1, "cacheWritePerMTokUsd": 1.25 }
 * ] }
 * const pricer = createPricer({ overrides: loadPriceOverrides('prices.json') })
 */
export function loadPriceOverrides(path: string): PriceOverride[] {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new Error(`${path}: cannot read the price file (${reason})`)
  }

  let document: unknown
  try {
    document = JSON.parse(text)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new Error(`${path}: is not valid JSON (${reason})`)
  }

  if (!isRecord(document)) {
    fail(path, 'the top level', 'must be an object such as { "models": [...] }', document)
  }
  for (const key of Object.keys(document)) {
    if (key !== 'models') fail(path, key, 'is not a known key; allowed: models', document[key])
  }
  return checkOverrides(path, 'models', document.models)
}
