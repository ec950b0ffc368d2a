import { ERROR_CATEGORIES, type ErrorCategory } from '@llmlens/spec'

/** What a failed call tells us; any part may be missing. */
export interface ErrorFacts {
  type?: string | null
  message?: string | null
  httpStatus?: number | null
}

const categories = new Set<string>(ERROR_CATEGORIES)

/**
 * Error class, type and code names from provider SDKs and runtimes, compared after `typeKey`
 * folds them: Python's `openai.RateLimitError`, JavaScript's `RateLimitError` and the API's
 * `rate_limit_error` all become `ratelimiterror`.
 */
const categoryByType: ReadonlyMap<string, ErrorCategory> = new Map(
  Object.entries({
    // OpenAI and Anthropic SDKs, API error types and codes, gRPC status names (Google).
    ratelimiterror: 'rate_limit',
    ratelimitexceeded: 'rate_limit',
    ratelimit: 'rate_limit',
    toomanyrequests: 'rate_limit',
    insufficientquota: 'rate_limit',
    resourceexhausted: 'rate_limit',
    throttlingexception: 'rate_limit',
    apitimeouterror: 'timeout',
    apiconnectiontimeouterror: 'timeout',
    timeouterror: 'timeout',
    timeout: 'timeout',
    readtimeout: 'timeout',
    deadlineexceeded: 'timeout',
    etimedout: 'timeout',
    esockettimedout: 'timeout',
    underrheaderstimeout: 'timeout',
    underrbodytimeout: 'timeout',
    underrconnecttimeout: 'timeout',
    authenticationerror: 'auth',
    permissiondeniederror: 'auth',
    permissionerror: 'auth',
    permissiondenied: 'auth',
    unauthenticated: 'auth',
    invalidapikey: 'auth',
    accessdeniedexception: 'auth',
    contextlengthexceeded: 'context_length',
    contextwindowexceedederror: 'context_length',
    requesttoolarge: 'context_length',
    contentfilter: 'content_filter',
    contentpolicyviolation: 'content_filter',
    contentpolicyviolationerror: 'content_filter',
    responsibleaipolicyviolation: 'content_filter',
    internalservererror: 'server_error',
    overloadederror: 'server_error',
    serviceunavailableerror: 'server_error',
    internalserverexception: 'server_error',
    serviceunavailableexception: 'server_error',
    modelnotreadyexception: 'server_error',
    internal: 'server_error',
    unavailable: 'server_error',
    servererror: 'server_error',
    apiconnectionerror: 'network',
    connectionerror: 'network',
    econnrefused: 'network',
    econnreset: 'network',
    enotfound: 'network',
    eaiagain: 'network',
    epipe: 'network',
    ehostunreach: 'network',
    enetunreach: 'network',
    underrsocket: 'network',
    aborterror: 'cancelled',
    apiuseraborterror: 'cancelled',
    cancellederror: 'cancelled',
    cancelled: 'cancelled',
    canceled: 'cancelled',
  }),
)

/**
 * Type names that say only "the request was wrong". Providers raise them for context overflow
 * (OpenAI's `BadRequestError`, Anthropic's `invalid_request_error`) and content filtering
 * (Azure), so a message that names the precise reason wins over them.
 */
const invalidRequestTypes = new Set([
  'badrequesterror',
  'invalidrequesterror',
  'invalidrequest',
  'invalidargument',
  'validationexception',
  'unprocessableentityerror',
  'notfounderror',
  'conflicterror',
  'modelnotfound',
])

/**
 * Phrases that name the reason, each starting a word and compared ignoring case. When a message
 * holds phrases of several categories, the earlier category in this list wins: "aborted due to
 * timeout" is a timeout, not a cancellation.
 */
const phrasesByCategory: readonly (readonly [ErrorCategory, readonly string[]])[] = [
  [
    'context_length',
    [
      'maximum context length',
      'context[ _-](?:length|window)',
      'prompt is too long',
      'input is too long',
      'too many (?:input )?tokens',
      'exceeds the maximum number of tokens',
    ],
  ],
  ['content_filter', ['content management policy', 'content[ _-](?:filter|policy)', 'safety']],
  ['rate_limit', ['rate[ _-]?limit', 'too many requests', 'quota', 'resource[ _-]exhausted']],
  ['timeout', ['timed?[ _-]?out', 'deadline[ _-]exceeded', 'etimedout']],
  [
    'network',
    [
      'fetch failed',
      'econnreset',
      'econnrefused',
      'enotfound',
      'eai_again',
      'socket hang up',
      'network',
      'getaddrinfo',
      'connection (?:error|reset|refused|aborted)',
    ],
  ],
  ['cancelled', ['abort', 'cancell?ed']],
  [
    'auth',
    [
      '(?:invalid|incorrect) (?:x-)?api[ -]key',
      'api key not valid',
      'unauthori[sz]ed',
      'permission',
      'authentication',
    ],
  ],
  ['server_error', ['overloaded', 'internal server error', 'bad gateway', 'service unavailable']],
]

/**
 * Every phrase in one expression, so a message is scanned once; each match is then placed in
 * its category by the small anchored expressions below. Eight separate scans cost over three
 * times as much: about 9 µs against under 3 µs for 500 characters that match nothing (Bun 1.4).
 */
const anyPhrase = new RegExp(
  String.raw`\b(?:${phrasesByCategory.flatMap(([, phrases]) => phrases).join('|')})`,
  'gi',
)
const phraseOfRank = phrasesByCategory.map(
  ([, phrases]) => new RegExp(`^(?:${phrases.join('|')})`, 'i'),
)

/**
 * How much of a message is read. Every phrase above sits in the first sentence or two of real
 * provider messages; the rest is often a prompt echo or stack trace that may run to kilobytes.
 */
const messageCharsMax = 500

/** Distinct type names remembered before the cache starts over; real traffic has tens. */
const typesCachedMax = 1024
const typeKeys = new Map<string, string>()

const typeSeparators = /[\s_\-.]/g
const statusText = /^\d{3}$/

/** `openai.RateLimitError` → `ratelimiterror`, `rate_limit_error` → `ratelimiterror`. */
function typeKey(type: string): string {
  const known = typeKeys.get(type)
  if (known !== undefined) return known

  const trimmed = type.trim()
  const lastName = trimmed.slice(trimmed.lastIndexOf('.') + 1)
  const key = lastName.replace(typeSeparators, '').toLowerCase()
  if (typeKeys.size >= typesCachedMax) typeKeys.clear()
  typeKeys.set(type, key)
  return key
}

/** The rank in `phrasesByCategory` of a matched phrase, if it ranks above `rankMax`. */
function rankOf(phrase: string, rankMax: number): number {
  for (let rank = 0; rank < rankMax; rank++) {
    if (phraseOfRank[rank]?.test(phrase)) return rank
  }
  return rankMax
}

function categoryOfMessage(message: string): ErrorCategory | null {
  const head = message.length > messageCharsMax ? message.slice(0, messageCharsMax) : message
  let bestRank = phrasesByCategory.length

  anyPhrase.lastIndex = 0
  for (let found = anyPhrase.exec(head); found !== null; found = anyPhrase.exec(head)) {
    bestRank = rankOf(found[0], bestRank)
    if (bestRank === 0) break
  }
  return phrasesByCategory[bestRank]?.[0] ?? null
}

function categoryOfStatus(status: number): ErrorCategory {
  if (status === 429) return 'rate_limit'
  if (status === 408 || status === 504) return 'timeout'
  if (status === 401 || status === 403) return 'auth'
  if (status === 413) return 'context_length'
  if (status === 400 || status === 404 || status === 409 || status === 422) {
    return 'invalid_request'
  }
  if (status === 499) return 'cancelled'
  if (status >= 500 && status <= 599) return 'server_error'
  return 'unknown'
}

/**
 * Why a call failed, as one category. A category given by the caller wins; then, from most to
 * least reliable: a provider's error type name, the first 500 characters of the message, and the
 * HTTP status. A generic "bad request" type yields to a message that names the reason, so an
 * OpenAI 400 about the maximum context length is `context_length`.
 *
 * @example
 * categoriseError({ type: 'RateLimitError', message: 'Rate limit reached', httpStatus: 429 })
 * // 'rate_limit'
 */
export function categoriseError(error: ErrorFacts): ErrorCategory {
  const { type, message, httpStatus } = error
  let status = httpStatus ?? null
  let weakCategory: ErrorCategory | null = null

  if (type !== null && type !== undefined && type !== '') {
    if (categories.has(type)) return type as ErrorCategory

    const key = typeKey(type)
    const strong = categoryByType.get(key)
    if (strong !== undefined) return strong
    if (invalidRequestTypes.has(key)) weakCategory = 'invalid_request'
    // OTel's `error.type` is the bare status code when that is all the instrumentation knew.
    if (status === null && statusText.test(key)) status = Number(key)
  }

  if (message !== null && message !== undefined && message !== '') {
    const fromMessage = categoryOfMessage(message)
    if (fromMessage !== null) return fromMessage
  }

  if (weakCategory !== null) return weakCategory
  return status === null ? 'unknown' : categoryOfStatus(status)
}
