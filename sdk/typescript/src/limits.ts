/**
 * The wire contract's size limits (`spec/src/limits.ts`), repeated here because the SDK has no
 * runtime dependencies; `limits.test.ts` checks them against `spec/schemas/`. The SDK cuts values
 * to these sizes before sending, so a well-behaved application never meets a rejection.
 */
export const WIRE_LIMITS = {
  nameLengthMax: 256,
  /** Model, provider, endpoint, environment, release, user and session ids, finish reason. */
  labelLengthMax: 256,
  tagsPerSpanMax: 64,
  tagLengthMax: 128,
  metadataKeysMax: 64,
  metadataKeyLengthMax: 128,
  metadataValueLengthMax: 4_096,
  errorMessageLengthMax: 8_192,
  commentLengthMax: 8_192,
  /** Serialised JSON of `input` or of `output`; the server truncates past this. */
  contentLengthMax: 1_048_576,
  tokensMax: 100_000_000,
  costUsdMax: 100_000,
  durationMsMax: 7 * 24 * 3_600_000,
  spansPerRequestMax: 10_000,
} as const

/**
 * Characters of JSON in one request. The server's default body limit is 32 MiB after
 * decompression; a UTF-16 character is at most 3 bytes of UTF-8, so 8 Mi characters stay under
 * 24 MiB even for text that is all non-Latin. One span is at most ~2.1 Mi characters (two
 * content fields of 1 Mi plus labels), so a batch always holds at least one.
 */
export const BATCH_LENGTH_MAX = 8 * 1024 * 1024
