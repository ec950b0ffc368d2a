// Epoch milliseconds below this are before March 1973: in practice a client sending seconds.
const EPOCH_MS_MIN = 1e11

const RFC3339 =
  /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/

/**
 * A wire timestamp (epoch ms or RFC 3339, already shape-checked) as epoch milliseconds, keeping
 * sub-millisecond digits, or an error message for a value that cannot be a real span time.
 */
export function toEpochMs(value: number | string): number | string {
  if (typeof value === 'number') {
    if (value < EPOCH_MS_MIN) {
      return `is ${value}, which is before 1973 as epoch milliseconds; send milliseconds, not seconds`
    }
    return value
  }
  const match = RFC3339.exec(value)
  if (match === null)
    return `must be epoch milliseconds or an RFC 3339 string (actual: ${JSON.stringify(value)})`
  const [, date, time, fraction = '', zone] = match
  const wholeMs = Date.parse(`${date}T${time}${zone === 'z' ? 'Z' : zone}`)
  if (Number.isNaN(wholeMs)) return `is not a real date (actual: ${JSON.stringify(value)})`
  return wholeMs + (fraction === '' ? 0 : Number(`0.${fraction}`) * 1000)
}
