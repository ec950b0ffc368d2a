"""The wire contract's size limits (`spec/src/limits.ts`), repeated here because the SDK has no
runtime dependencies; `tests/test_limits.py` checks them against `spec/schemas/`. The SDK cuts
values to these sizes before sending, so a well-behaved application never meets a rejection."""

NAME_LENGTH_MAX = 256
# Model, provider, endpoint, environment, release, user and session ids, finish reason.
LABEL_LENGTH_MAX = 256
TAGS_PER_SPAN_MAX = 64
TAG_LENGTH_MAX = 128
METADATA_KEYS_MAX = 64
METADATA_KEY_LENGTH_MAX = 128
METADATA_VALUE_LENGTH_MAX = 4_096
ERROR_MESSAGE_LENGTH_MAX = 8_192
COMMENT_LENGTH_MAX = 8_192
# Serialised characters of `input` or of `output`; the server truncates past this.
CONTENT_LENGTH_MAX = 1_048_576
TOKENS_MAX = 100_000_000
COST_USD_MAX = 100_000
DURATION_MS_MAX = 7 * 24 * 3_600_000
SPANS_PER_REQUEST_MAX = 10_000

# Characters of JSON in one request. The server's default body limit is 32 MiB after
# decompression; a character is at most 4 bytes of UTF-8, so 6 Mi characters stay under 24 MiB
# even for text that is all outside the Basic Multilingual Plane. One span is at most ~2.1 Mi
# characters (two content fields of 1 Mi plus labels), so a batch always holds at least one.
BATCH_LENGTH_MAX = 6 * 1024 * 1024

# Items a decorated generator's output keeps; a generator may yield without end.
GENERATOR_ITEMS_MAX = 10_000
