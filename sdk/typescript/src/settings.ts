/**
 * Readers of one setting from the options object, then the environment, then the default. A bad
 * value is reported once, with where it came from, the value seen and what is allowed, and the
 * next source is tried; no setting ever becomes `NaN` or throws.
 */

export type Warn = (message: string) => void

/** Where a value came from: `options.sampleRate` or `LLMLENS_SAMPLE_RATE`. */
interface Source {
  option: string
  variable: string
}

export interface SettingReader {
  number(source: Source, value: unknown, rule: NumberRule, fallback: number): number
  boolean(source: Source, value: unknown, fallback: boolean): boolean
  text(source: Source, value: unknown): string | null
  url(source: Source, value: unknown, fallback: string): string
}

export interface NumberRule {
  min: number
  max: number
  integer: boolean
}

// Repeating a warning on every `init` would be noise; one per distinct complaint is enough.
const warnedBefore = new Set<string>()

function describe(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : String(value)
}

function ruleText(rule: NumberRule): string {
  const kind = rule.integer ? 'an integer' : 'a number'
  return `${kind} from ${rule.min} to ${rule.max}`
}

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on'])
const FALSE_WORDS = new Set(['false', '0', 'no', 'off'])

/** A reader over one environment (absent in browsers) that reports through `warn`. */
export function settingReader(env: Record<string, string | undefined>, warn: Warn): SettingReader {
  const complain = (where: string, value: unknown, expected: string, using: unknown) => {
    const message = `llmlens: ${where} must be ${expected} (actual: ${describe(value)}); using ${describe(using)}`
    if (warnedBefore.has(message)) return
    warnedBefore.add(message)
    warn(message)
  }
  const fromEnv = (source: Source) => {
    const raw = env[source.variable]?.trim()
    return raw === undefined || raw === '' ? undefined : raw
  }

  /** Tries the option, then the variable; `parse` returns undefined for a bad value. */
  function pick<T>(
    source: Source,
    value: unknown,
    parse: (raw: unknown) => T | undefined,
    expected: string,
    fallback: T,
  ): T {
    const raw = fromEnv(source)
    const fromVariable = raw === undefined ? undefined : parse(raw)
    const next = fromVariable ?? fallback
    if (value !== undefined) {
      const parsed = parse(value)
      if (parsed !== undefined) return parsed
      complain(`options.${source.option}`, value, expected, next)
    }
    if (raw !== undefined && fromVariable === undefined)
      complain(source.variable, raw, expected, fallback)
    return next
  }

  return {
    number(source, value, rule, fallback) {
      const parse = (raw: unknown) => {
        const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : Number.NaN
        if (!Number.isFinite(n) || n < rule.min || n > rule.max) return undefined
        return rule.integer && !Number.isInteger(n) ? undefined : n
      }
      return pick(source, value, parse, ruleText(rule), fallback)
    },
    boolean(source, value, fallback) {
      const parse = (raw: unknown) => {
        if (typeof raw === 'boolean') return raw
        const word = typeof raw === 'string' ? raw.toLowerCase() : ''
        return TRUE_WORDS.has(word) ? true : FALSE_WORDS.has(word) ? false : undefined
      }
      return pick(source, value, parse, 'true or false', fallback)
    },
    text(source, value) {
      const parse = (raw: unknown) => (typeof raw === 'string' && raw !== '' ? raw : undefined)
      return pick<string | null>(source, value, parse, 'a non-empty string', null)
    },
    url(source, value, fallback) {
      const parse = (raw: unknown) => {
        if (typeof raw !== 'string') return undefined
        try {
          const url = new URL(raw)
          return url.protocol === 'http:' || url.protocol === 'https:' ? raw : undefined
        } catch {
          return undefined
        }
      }
      return pick(source, value, parse, 'an http:// or https:// URL', fallback)
    },
  }
}
