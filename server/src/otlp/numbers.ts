/** A 64-bit integer as protobufjs hands it over: a `long` Long, or a plain number. */
export type LongLike = number | { low: number; high: number; unsigned: boolean }

const TWO_POW_32 = 4_294_967_296
const NANOS_PER_MS = 1_000_000n

/** An int64/uint64 as a number; past 2^53 the value rounds, which no count or token total nears. */
export function longToNumber(value: LongLike): number {
  if (typeof value === 'number') return value
  const high = value.unsigned ? value.high >>> 0 : value.high
  return high * TWO_POW_32 + (value.low >>> 0)
}

/**
 * Epoch nanoseconds as epoch milliseconds. Nanosecond times (~1.8e18) are past 2^53, so a double
 * would move them by up to 256 ns; the split keeps whole milliseconds exact and the fraction to
 * the precision a double has.
 */
export function nanosToMs(nanos: bigint): number {
  return Number(nanos / NANOS_PER_MS) + Number(nanos % NANOS_PER_MS) / 1e6
}

/** A fixed64 nanosecond time from protobuf. */
export function longNanosToMs(value: LongLike): number {
  if (typeof value === 'number') return value / 1e6
  return nanosToMs((BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0))
}

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'))

/** Bytes as lower-case hex: how OTLP/JSON and W3C trace context spell ids. */
export function bytesToHex(bytes: Uint8Array): string {
  let hex = ''
  for (const byte of bytes) hex += HEX[byte]
  return hex
}
