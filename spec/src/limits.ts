/**
 * Every size limit of the wire contract, in one place. The server enforces them and the SDKs
 * truncate or drop before sending, so a well-behaved client never meets a rejection.
 *
 * The numbers: a span of an ordinary chat call is 0.5–4 KiB, so 10,000 spans in one request are
 * at most ~40 MiB before content; the default body limit (32 MiB after decompression) stops
 * anything larger first. Content fields carry prompts, which can reach a model's whole context
 * (200k tokens ≈ 800 KiB of text), so they get the largest per-field limit and are truncated
 * rather than rejected: losing the tail of a prompt is better than losing the call's timing.
 */
export const LIMITS = {
  spansPerRequestMax: 10_000,
  scoresPerRequestMax: 10_000,
  idLengthMax: 64,
  nameLengthMax: 256,
  /** Model, provider, endpoint, environment, release, user and session ids. */
  labelLengthMax: 256,
  tagsPerSpanMax: 64,
  tagLengthMax: 128,
  metadataKeysMax: 64,
  metadataKeyLengthMax: 128,
  metadataValueLengthMax: 4_096,
  errorMessageLengthMax: 8_192,
  commentLengthMax: 8_192,
  /** Serialised JSON of `input` or of `output`; longer content is truncated with a marker. */
  contentBytesMax: 1_048_576,
  tokensMax: 100_000_000,
  /** One call cannot cost more than this; a larger figure is a unit mistake (cents, micro-USD). */
  costUsdMax: 100_000,
  durationMsMax: 7 * 24 * 3_600_000,
} as const
