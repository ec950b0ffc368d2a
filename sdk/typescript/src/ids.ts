// Hex of every byte value, so an id is built by table lookups rather than number formatting.
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'))

// One call to getRandomValues fills 4 KiB, enough for 170 spans; a call costs ~1 µs whatever
// its size, so pooling keeps id generation at tens of nanoseconds per span.
const POOL_BYTES = 4096
const pool = new Uint8Array(POOL_BYTES)
let offset = POOL_BYTES

function fill(): void {
  const crypto = (globalThis as { crypto?: { getRandomValues?(array: Uint8Array): unknown } })
    .crypto
  if (typeof crypto?.getRandomValues === 'function') {
    crypto.getRandomValues(pool)
  } else {
    // Node 18 without --experimental-global-webcrypto: ids need uniqueness, not secrecy.
    for (let i = 0; i < POOL_BYTES; i++) pool[i] = Math.floor(Math.random() * 256)
  }
  offset = 0
}

function randomHex(bytes: number): string {
  if (offset + bytes > POOL_BYTES) fill()
  let hex = ''
  let zero = true
  for (let i = 0; i < bytes; i++) {
    const byte = pool[offset + i] as number
    if (byte !== 0) zero = false
    hex += HEX[byte]
  }
  offset += bytes
  // W3C trace context forbids all-zero ids.
  return zero ? randomHex(bytes) : hex
}

/** Makes W3C trace and span ids; replaceable in tests. */
export interface IdGenerator {
  traceId(): string
  spanId(): string
}

export const randomIds: IdGenerator = {
  traceId: () => randomHex(16),
  spanId: () => randomHex(8),
}
