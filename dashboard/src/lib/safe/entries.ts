/**
 * Key/value pairs of an untrusted object, own properties only. Keys such as `__proto__` or
 * `constructor` come back as plain strings: callers keep them in arrays or Maps, never assign
 * them onto an object, so they can neither pollute a prototype nor read one.
 */
export function entriesOf(value: unknown): [string, unknown][] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return []
  return Object.keys(value).map((key) => [key, (value as Record<string, unknown>)[key]])
}

/** The own value at `key`, or undefined; never one inherited from Object.prototype. */
export function ownValue(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null) return undefined
  return Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined
}

/** A value as one line of display text: strings as they are, the rest as compact JSON. */
export function displayText(value: unknown): string {
  if (typeof value === 'string') return value
  if (value === undefined) return ''
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}
