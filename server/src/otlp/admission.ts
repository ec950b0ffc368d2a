import type { OtlpAdmissionOptions } from './limits.ts'

/** Holds one admitted export's share of the limits until it is released. */
export interface AdmissionTicket {
  /** The body's real size once read and decompressed; it replaces the declared size. */
  resize(bytes: number): void
  release(): void
}

export type Admitted =
  | { ok: true; ticket: AdmissionTicket }
  | { ok: false; status: 429 | 503; message: string; retryAfterSeconds: number }

/**
 * Overload, defined: too many OTLP exports in flight (being received or processed), or too many
 * bytes held by them. Past either, a new export is refused at once with 429 or 503 and a
 * Retry-After, which OTLP exporters honour by waiting and resending, rather than queued
 * to grow memory and latency without bound. Shared by OTLP/HTTP and OTLP/gRPC.
 */
export class Admission {
  private exports = 0
  private bytes = 0

  constructor(readonly options: OtlpAdmissionOptions) {
    if (!(options.exportsInFlightMax >= 1)) throw new Error('exportsInFlightMax must be >= 1')
    if (!(options.bytesInFlightMax >= 1)) throw new Error('bytesInFlightMax must be >= 1')
  }

  get exportsInFlight(): number {
    return this.exports
  }

  get bytesInFlight(): number {
    return this.bytes
  }

  /** Admits an export that declares `declaredBytes` (its Content-Length, 0 when unknown). */
  enter(declaredBytes: number): Admitted {
    const { exportsInFlightMax, bytesInFlightMax, retryAfterSeconds } = this.options
    if (this.exports >= exportsInFlightMax) {
      return {
        ok: false,
        status: 429,
        retryAfterSeconds,
        message: `${this.exports} exports are in flight, the most llmlens takes at once (${exportsInFlightMax}); retry after ${retryAfterSeconds} s`,
      }
    }
    // An export alone larger than the limit is still admitted when nothing else is in flight:
    // the body limit, not this one, decides what size is too large.
    if (this.exports > 0 && this.bytes + declaredBytes > bytesInFlightMax) {
      return {
        ok: false,
        status: 503,
        retryAfterSeconds,
        message: `exports in flight hold ${this.bytes} bytes and this one declares ${declaredBytes}; llmlens holds at most ${bytesInFlightMax} at once; retry after ${retryAfterSeconds} s`,
      }
    }

    this.exports++
    let held = declaredBytes
    this.bytes += held
    let released = false
    return {
      ok: true,
      ticket: {
        resize: (bytes) => {
          if (released) return
          this.bytes += bytes - held
          held = bytes
        },
        release: () => {
          if (released) return
          released = true
          this.exports--
          this.bytes -= held
        },
      },
    }
  }
}
