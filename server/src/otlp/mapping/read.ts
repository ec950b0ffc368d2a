import type { Attributes, OtlpValue } from '../model.ts'

/**
 * Typed reads of attributes under several names: each dialect spells the same fact its own way,
 * and the first name that holds a usable value wins.
 */

// Finds the first non-blank character without copying the string, as trim() would: the values
// read here include prompts and completions of many kilobytes.
const NOT_BLANK = /\S/

/** The first non-empty string among `keys`; numbers are accepted as their decimal text. */
export function text(attributes: Attributes, ...keys: string[]): string | null {
  for (const key of keys) {
    const value = attributes.get(key)
    if (typeof value === 'string' && NOT_BLANK.test(value)) return value
    if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  }
  return null
}

/** The first finite number among `keys`; numeric strings count, as some SDKs send them. */
export function number(attributes: Attributes, ...keys: string[]): number | null {
  for (const key of keys) {
    const value = attributes.get(key)
    if (typeof value === 'number' && Number.isFinite(value)) return value
    if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
      return Number(value)
  }
  return null
}

/** The first whole, non-negative count among `keys`; anything else is not a token count. */
export function count(attributes: Attributes, ...keys: string[]): number | null {
  for (const key of keys) {
    const value = number(attributes, key)
    if (value !== null && Number.isSafeInteger(value) && value >= 0) return value
  }
  return null
}

/** The strings of an array attribute, or of a JSON array sent as a string. */
export function textList(attributes: Attributes, ...keys: string[]): string[] | null {
  for (const key of keys) {
    const value = parsedJson(attributes.get(key))
    if (Array.isArray(value)) {
      const strings = value.filter((item): item is string => typeof item === 'string')
      if (strings.length > 0) return strings
    }
    if (typeof value === 'string' && value !== '') return [value]
  }
  return null
}

/**
 * A value that may be JSON sent as a string: instrumentations in languages without structured
 * attributes serialise messages to JSON text. A string that is not JSON stays a string.
 */
export function parsedJson(value: OtlpValue | undefined): unknown {
  if (typeof value !== 'string') return value
  const first = value.trimStart()[0]
  if (first !== '{' && first !== '[') return value
  try {
    return JSON.parse(value)
  } catch {
    return value
  }
}

/** The first attribute among `keys` that is present, parsed when it is JSON text. */
export function structured(attributes: Attributes, ...keys: string[]): unknown {
  for (const key of keys) {
    const value = attributes.get(key)
    if (value !== undefined && value !== null && value !== '') return parsedJson(value)
  }
  return undefined
}

/** A record view of a parsed value, or null; arrays and scalars are not records. */
export function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null
}

/** An own property of a parsed record; inherited names such as `constructor` are not fields. */
export function field(value: Record<string, unknown> | null, name: string): unknown {
  return value !== null && Object.hasOwn(value, name) ? value[name] : undefined
}

/** A field as a string, or null. */
export function fieldText(value: Record<string, unknown> | null, name: string): string | null {
  const found = field(value, name)
  return typeof found === 'string' ? found : null
}
