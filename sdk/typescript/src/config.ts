import { mergeAttributes, NO_ATTRIBUTES, type ResolvedAttributes } from './attributes.ts'
import { WIRE_LIMITS } from './limits.ts'
import { settingReader, type Warn } from './settings.ts'
import type { Attributes, LlmlensErrorEvent, WireSpan } from './types.ts'

/**
 * Everything the SDK can be told. Each setting is taken from here first, then from its
 * `LLMLENS_*` environment variable (where `process.env` exists), then from its default.
 */
export interface LlmlensOptions extends Attributes {
  /** The llmlens server. `LLMLENS_URL`, default `http://127.0.0.1:4380`. */
  url?: string
  /** Sent as `Authorization: Bearer <key>`. `LLMLENS_API_KEY`, default none. */
  apiKey?: string
  /** `false` records nothing and sends nothing. `LLMLENS_ENABLED`, default `true`. */
  enabled?: boolean
  /** The share of traces recorded, 0 to 1, decided once per trace. `LLMLENS_SAMPLE_RATE`, 1. */
  sampleRate?: number
  /** Record prompts and completions. `LLMLENS_CAPTURE_CONTENT`, default `true`. */
  captureContent?: boolean
  /** Serialised characters of `input` or `output` kept; longer gets a marker. 1 MiB. */
  contentLengthMax?: number
  /** Spans and scores held in memory; a full queue drops the oldest. 2048. */
  queueSizeMax?: number
  /** Spans and scores per request. 512. */
  batchSizeMax?: number
  /** How long a span waits, at most, before it is sent. 1000 ms. */
  flushIntervalMs?: number
  /** The deadline of one export, retries included. 10000 ms. */
  exportTimeoutMs?: number
  /** Gzip request bodies where `CompressionStream` exists. `LLMLENS_GZIP`, default `true`. */
  gzip?: boolean
  /** Send what is queued when the process is about to exit (Node, Bun). Default `true`. */
  flushOnExit?: boolean
  /**
   * Sees every span before it leaves the process: change it and return it (or nothing), or
   * return `null` to drop it. If it throws, the span is sent without `input` and `output`.
   */
  redact?: (span: WireSpan) => WireSpan | null | undefined
  /** Hears about failed exports, refused items and failing hooks. Default: silence. */
  onError?: (event: LlmlensErrorEvent) => void
  /** Receives configuration warnings. Default: `console.warn`, once per bad value. */
  warn?: Warn
  /** The `fetch` used to export; default `globalThis.fetch`. */
  fetch?: typeof fetch
}

export interface Config {
  ingestUrl: string
  apiKey: string | null
  enabled: boolean
  sampleRate: number
  captureContent: boolean
  contentLengthMax: number
  queueSizeMax: number
  batchSizeMax: number
  flushIntervalMs: number
  exportTimeoutMs: number
  gzip: boolean
  flushOnExit: boolean
  attributes: ResolvedAttributes
  redact: LlmlensOptions['redact'] | null
  onError: (event: LlmlensErrorEvent) => void
  fetch: typeof fetch
}

export const DEFAULT_URL = 'http://127.0.0.1:4380'

const variable = (option: string, name: string) => ({ option, variable: `LLMLENS_${name}` })

function consoleWarn(message: string): void {
  console.warn(message)
}

/** The environment where the runtime has one; browsers and most edge runtimes do not. */
export function processEnv(): Record<string, string | undefined> {
  const runtime = globalThis as { process?: { env?: Record<string, string | undefined> } }
  return runtime.process?.env ?? {}
}

/** Options, then environment, then defaults; bad values warn once and fall through. */
export function resolveConfig(
  options: LlmlensOptions,
  env: Record<string, string | undefined>,
): Config {
  const warn = options.warn ?? consoleWarn
  const read = settingReader(env, warn)
  const count = (max: number) => ({ min: 1, max, integer: true })
  const ms = { min: 1, max: 3_600_000, integer: true }

  const url = read.url(variable('url', 'URL'), options.url, DEFAULT_URL)
  const queueSizeMax = read.number(
    variable('queueSizeMax', 'QUEUE_SIZE_MAX'),
    options.queueSizeMax,
    count(1_000_000),
    2048,
  )
  let batchSizeMax = read.number(
    variable('batchSizeMax', 'BATCH_SIZE_MAX'),
    options.batchSizeMax,
    count(WIRE_LIMITS.spansPerRequestMax),
    512,
  )
  if (batchSizeMax > queueSizeMax) {
    // A batch larger than the queue could never fill; say so once rather than wait forever.
    warn(
      `llmlens: batchSizeMax ${batchSizeMax} exceeds queueSizeMax ${queueSizeMax}; using ${queueSizeMax}`,
    )
    batchSizeMax = queueSizeMax
  }
  const environment = read.text(variable('environment', 'ENVIRONMENT'), options.environment)
  const release = read.text(variable('release', 'RELEASE'), options.release)
  const userFetch = options.fetch

  return {
    ingestUrl: `${url.replace(/\/+$/, '')}/api/v1/ingest`,
    apiKey: read.text(variable('apiKey', 'API_KEY'), options.apiKey),
    enabled: read.boolean(variable('enabled', 'ENABLED'), options.enabled, true),
    sampleRate: read.number(
      variable('sampleRate', 'SAMPLE_RATE'),
      options.sampleRate,
      { min: 0, max: 1, integer: false },
      1,
    ),
    captureContent: read.boolean(
      variable('captureContent', 'CAPTURE_CONTENT'),
      options.captureContent,
      true,
    ),
    contentLengthMax: read.number(
      variable('contentLengthMax', 'CONTENT_LENGTH_MAX'),
      options.contentLengthMax,
      { min: 64, max: WIRE_LIMITS.contentLengthMax, integer: true },
      WIRE_LIMITS.contentLengthMax,
    ),
    queueSizeMax,
    batchSizeMax,
    flushIntervalMs: read.number(
      variable('flushIntervalMs', 'FLUSH_INTERVAL_MS'),
      options.flushIntervalMs,
      ms,
      1000,
    ),
    exportTimeoutMs: read.number(
      variable('exportTimeoutMs', 'EXPORT_TIMEOUT_MS'),
      options.exportTimeoutMs,
      ms,
      10_000,
    ),
    gzip: read.boolean(variable('gzip', 'GZIP'), options.gzip, true),
    flushOnExit: read.boolean(variable('flushOnExit', 'FLUSH_ON_EXIT'), options.flushOnExit, true),
    attributes: mergeAttributes(NO_ATTRIBUTES, {
      ...options,
      environment: environment ?? undefined,
      release: release ?? undefined,
    }),
    redact: options.redact ?? null,
    onError: options.onError ?? (() => undefined),
    fetch: userFetch
      ? (input, init) => userFetch(input, init)
      : (input, init) => fetch(input, init),
  }
}
