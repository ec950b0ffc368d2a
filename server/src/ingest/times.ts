// Epoch milliseconds below this are before March 1973: in practice a client sending seconds.
const EPOCH_MS_MIN = 1e11

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/

/**
 * An RFC 3339 timestamp as epoch milliseconds, keeping sub-millisecond digits, or null when it
 * is not one or names a time that does not exist (February 30th, hour 25): the engine's own
 * Date.parse silently rolls such dates over.
 */
export function parseRfc3339(text: string): number | null {
  const m = RFC3339.exec(text)
  if (m === null) return null
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as number[]
  const fraction = m[7] ?? ''
  const sign = m[9] === '-' ? -1 : 1
  const offsetMinutes = m[8] ? 0 : sign * (Number(m[10]) * 60 + Number(m[11]))
  const daysInMonth = new Date(Date.UTC(year as number, month as number, 0)).getUTCDate()
  if (
    (month as number) < 1 ||
    (month as number) > 12 ||
    (day as number) < 1 ||
    (day as number) > daysInMonth ||
    (hour as number) > 23 ||
    (minute as number) > 59 ||
    (second as number) > 59 ||
    Math.abs(offsetMinutes) > 24 * 60
  ) {
    return null
  }
  const wholeMs = Date.UTC(year as number, (month as number) - 1, day, hour, minute, second)
  const fractionMs = fraction === '' ? 0 : Number(`0.${fraction}`) * 1000
  return wholeMs - offsetMinutes * 60_000 + fractionMs
}

/**
 * A wire timestamp (epoch ms or RFC 3339, already shape-checked) as epoch milliseconds, or an
 * error message for a value that cannot be a real span time.
 */
export function toEpochMs(value: number | string): number | string {
  if (typeof value === 'number') {
    if (value < EPOCH_MS_MIN) {
      return `is ${value}, which is before 1973 as epoch milliseconds; send milliseconds, not seconds`
    }
    return value
  }
  const ms = parseRfc3339(value)
  if (ms === null) return `is not a real RFC 3339 time (actual: ${JSON.stringify(value)})`
  return ms
}
