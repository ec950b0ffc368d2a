import type { ConditionalPrice, ModelInfo, ModelPrice } from '@pydantic/genai-prices'
import { flatRate, type Rate, type RateTier, type TokenPrices } from './token-prices.ts'

/**
 * Price keys of @pydantic/genai-prices 0.1.8 (its `units.yml`) for usage we never report:
 * modalities, cache lifetimes, tool and citation tokens, and non-token units. The library
 * bills such a unit only from its own usage count, which is always zero for us, so these keys
 * add nothing and take nothing away from the keys we do price. A key missing from this list
 * and from `tokenKeys` sends the model to the library's own calculator instead.
 */
const unreportedKeys = new Set(
  `input_text_mtok input_audio_mtok input_image_mtok input_video_mtok
  input_tool_mtok input_text_tool_mtok input_audio_tool_mtok input_image_tool_mtok
  input_video_tool_mtok
  cache_text_read_mtok cache_audio_read_mtok cache_image_read_mtok cache_video_read_mtok
  cache_write_5m_mtok cache_write_1h_mtok cache_text_write_mtok cache_text_write_5m_mtok
  cache_text_write_1h_mtok cache_audio_write_mtok cache_audio_write_5m_mtok
  cache_audio_write_1h_mtok cache_image_write_mtok cache_image_write_5m_mtok
  cache_image_write_1h_mtok cache_video_write_mtok cache_video_write_5m_mtok
  cache_video_write_1h_mtok
  output_text_mtok output_audio_mtok output_image_mtok output_video_mtok
  output_citation_mtok output_text_citation_mtok output_audio_citation_mtok
  output_image_citation_mtok output_video_citation_mtok output_text_reasoning_mtok
  output_audio_reasoning_mtok output_image_reasoning_mtok output_video_reasoning_mtok
  audio_hours input_audio_hours output_audio_hours input_mchars input_gpixels
  input_document_kpages input_annotated_document_kpages input_text_messages_kcount
  code_executions_kcount web_searches_kcount social_searches_kcount storage_searches_kcount
  rerank_searches_kcount`.split(/\s+/),
)

type TokenKey = 'input' | 'output' | 'cacheRead' | 'cacheWrite' | 'reasoning'

const tokenKeys: ReadonlyMap<string, TokenKey> = new Map([
  ['input_mtok', 'input'],
  ['output_mtok', 'output'],
  ['cache_read_mtok', 'cacheRead'],
  ['cache_write_mtok', 'cacheWrite'],
  ['output_reasoning_mtok', 'reasoning'],
])

/** `requests_kcount` is USD per 1,000 requests; one call is one request. */
const requestsPerKcount = 1000

function isPrice(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
}

/** A library price value as a rate, or null when its shape is not one we evaluate exactly. */
function toRate(value: unknown): Rate | null {
  if (isPrice(value)) return flatRate(value)
  if (typeof value !== 'object' || value === null) return null

  const { base, tiers } = value as { base?: unknown; tiers?: unknown }
  if (!isPrice(base) || !Array.isArray(tiers)) return null

  const steps: RateTier[] = []
  for (const tier of tiers as unknown[]) {
    const { start, price } = (tier ?? {}) as { start?: unknown; price?: unknown }
    if (!isPrice(start) || !isPrice(price)) return null
    steps.push({ startTokens: start, perMTokUsd: price })
  }
  steps.sort((a, b) => a.startTokens - b.startTokens)
  return { basePerMTokUsd: base, tiers: steps }
}

/** One model price of the library as token prices, or null when we cannot evaluate it exactly. */
export function compileModelPrice(price: ModelPrice): TokenPrices | null {
  const rates: Partial<Record<TokenKey, Rate>> = {}
  let perRequestUsd = 0

  for (const [key, value] of Object.entries(price)) {
    if (value === undefined || unreportedKeys.has(key)) continue

    if (key === 'requests_kcount') {
      if (!isPrice(value)) return null
      perRequestUsd = value / requestsPerKcount
      continue
    }

    const tokenKey = tokenKeys.get(key)
    const rate = toRate(value)
    if (tokenKey === undefined || rate === null) return null
    rates[tokenKey] = rate
  }

  return {
    input: rates.input ?? flatRate(0),
    output: rates.output ?? flatRate(0),
    cacheRead: rates.cacheRead ?? null,
    cacheWrite: rates.cacheWrite ?? null,
    reasoning: rates.reasoning ?? null,
    perRequestUsd,
  }
}

/**
 * A price that holds from a date on, or during a daily window of UTC time (DeepSeek's off-peak
 * discount, for example), or always. A daily window may wrap past midnight.
 */
export interface PricePeriod {
  readonly fromMs: number
  readonly dailyStartS: number
  readonly dailyEndS: number
  readonly prices: TokenPrices
}

/** A model's prices over time, tried from the last period to the first as the library does. */
export interface PriceHistory {
  readonly periodsNewestFirst: readonly PricePeriod[]
  /** Applies when no period matches: the first price in the library's list. */
  readonly fallback: TokenPrices
}

const secondsPerDay = 86_400
const msPerDay = secondsPerDay * 1000
const alwaysFromMs = Number.NEGATIVE_INFINITY

/** `HH:MM:SS[.fff]` then `Z` or an offset `±HH:MM`, as the library's `time_of_date` writes it. */
const dailyTimePattern = new RegExp(
  String.raw`^(?<hours>\d{2}):(?<minutes>\d{2}):(?<seconds>\d{2})(?:\.(?<fraction>\d+))?` +
    String.raw`(?:Z|(?<sign>[+-])(?<offsetHours>\d{2}):(?<offsetMinutes>\d{2}))$`,
)

/** `HH:MM:SS[.fff](Z|±HH:MM)` as seconds after UTC midnight, or null when malformed. */
function dailySeconds(text: string): number | null {
  const groups = dailyTimePattern.exec(text)?.groups
  if (groups === undefined) return null

  const { hours, minutes, seconds, fraction = '', sign, offsetHours, offsetMinutes } = groups
  if (Number(hours) > 23 || Number(minutes) > 59 || Number(seconds) > 59) return null
  if (Number(offsetHours ?? 0) > 23 || Number(offsetMinutes ?? 0) > 59) return null

  const localS =
    Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds) + Number(`0.${fraction}`)
  const offsetS = (Number(offsetHours ?? 0) * 60 + Number(offsetMinutes ?? 0)) * 60
  const zoneS = sign === undefined ? 0 : sign === '+' ? offsetS : -offsetS
  return (localS - zoneS + secondsPerDay) % secondsPerDay
}

function compilePeriod(entry: ConditionalPrice): PricePeriod | null {
  const prices = compileModelPrice(entry.prices)
  if (prices === null) return null

  const constraint = entry.constraint
  if (constraint === undefined) {
    return { fromMs: alwaysFromMs, dailyStartS: 0, dailyEndS: secondsPerDay, prices }
  }
  if (constraint.type === 'start_date') {
    const fromMs = Date.parse(constraint.start_date)
    if (Number.isNaN(fromMs)) return null
    return { fromMs, dailyStartS: 0, dailyEndS: secondsPerDay, prices }
  }
  if (constraint.type === 'time_of_date') {
    const dailyStartS = dailySeconds(constraint.start_time)
    const dailyEndS = dailySeconds(constraint.end_time)
    if (dailyStartS === null || dailyEndS === null) return null
    return { fromMs: alwaysFromMs, dailyStartS, dailyEndS, prices }
  }
  return null
}

/** A library model's prices, or null when any of them is a shape we cannot evaluate exactly. */
export function compileModelInfo(model: ModelInfo): PriceHistory | null {
  const entries = Array.isArray(model.prices) ? model.prices : [{ prices: model.prices }]
  const periods: PricePeriod[] = []
  for (const entry of entries) {
    const period = compilePeriod(entry)
    if (period === null) return null
    periods.push(period)
  }

  const first = periods[0]
  if (first === undefined) return null
  return { periodsNewestFirst: periods.reverse(), fallback: first.prices }
}

function withinDailyWindow(period: PricePeriod, timeMs: number): boolean {
  // The library reads the UTC clock from a Date, which keeps whole milliseconds only.
  const msOfDay = ((timeMs % msPerDay) + msPerDay) % msPerDay
  const wholeS = Math.floor(msOfDay / 1000)
  const nowS = wholeS + (msOfDay - wholeS * 1000) / 1000

  if (period.dailyEndS < period.dailyStartS) {
    return nowS >= period.dailyStartS || nowS < period.dailyEndS
  }
  return nowS >= period.dailyStartS && nowS < period.dailyEndS
}

/** The prices in force at `timeMs` (whole epoch milliseconds). */
export function pricesAt(history: PriceHistory, timeMs: number): TokenPrices {
  for (const period of history.periodsNewestFirst) {
    if (timeMs >= period.fromMs && withinDailyWindow(period, timeMs)) return period.prices
  }
  return history.fallback
}
