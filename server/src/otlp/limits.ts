/**
 * Limits of the OTLP layer, in one place.
 *
 * Nesting: real GenAI attributes nest messages → parts → arguments, four or five levels; 32 is
 * far beyond any of them and keeps every recursive walk a few hundred frames deep at most.
 * protobufjs stops at 100 levels of message nesting on its own (as protoc does), and one AnyValue
 * level costs two messages, so a protobuf body meets our limit first.
 */
export const OTLP_LIMITS = {
  valueDepthMax: 32,
  /** Characters of a rejection list in one partialSuccess.errorMessage. */
  errorMessageLengthMax: 2_000,
  /** Rejections spelled out in one errorMessage; the rest are counted. */
  errorsListedMax: 5,
  /**
   * Content events parked for a span that has not arrived yet are kept this long. Exporters
   * batch spans and logs separately, every few seconds (5 s by default in the OTel SDKs), so an
   * hour covers any realistic gap, and an event whose span never comes does not stay forever.
   */
  parkedContentAgeMsMax: 3_600_000,
  /**
   * Distinct (provider, model) pairs the Prometheus metrics keep apart; further pairs are counted
   * as model `_other`. Real deployments use tens of models; this stops a client that invents
   * model names from growing the exposition without bound.
   */
  prometheusSeriesMax: 500,
} as const

/**
 * How much OTLP work is admitted at once; past either limit a request is refused with a
 * Retry-After instead of queueing. See `Admission`.
 */
export interface OtlpAdmissionOptions {
  /** Exports being received or processed at once; the next one gets 429. */
  exportsInFlightMax: number
  /** Bytes held by admitted exports (declared, then actual after decompression); past it, 503. */
  bytesInFlightMax: number
  /** The Retry-After sent with 429 and 503, in seconds. */
  retryAfterSeconds: number
}

/**
 * OTel SDKs export one batch at a time per process, so 16 exports in flight means 16 or more
 * producers sending at once: on two cores, more than that only queues work and memory. The byte
 * limit is four bodies at the largest size allowed, so a burst of large batches is held to a
 * known amount of memory.
 */
export function defaultAdmission(bodyBytesMax: number): OtlpAdmissionOptions {
  return { exportsInFlightMax: 16, bytesInFlightMax: 4 * bodyBytesMax, retryAfterSeconds: 1 }
}
