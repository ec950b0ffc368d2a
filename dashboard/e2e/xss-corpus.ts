/** The XSS corpus of the browser tests, as ingest bodies. */

/**
 * Markup, script and style that must reach the screen as the characters they are. Each one
 * that ran would set window.__xss, open a dialog, or break the CSP, and the test looks for all
 * three on every view.
 */
export const PAYLOADS = [
  '<script>window.__xss = "script"</script>',
  '<img src=x onerror="window.__xss=\'img\';alert(1)">',
  '"><svg onload="window.__xss=\'svg\'"><circle r="9"/></svg>',
  "<svg><script>window.__xss='svg-script'</script></svg>",
  'javascript:window.__xss="js-url"',
  '<a href="javascript:window.__xss=\'link\'">click me</a>',
  '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
  '<style>body{display:none}</style>',
  // CSS injection through a chart series name: closing a rule or a style attribute.
  'red;}</style><style>body{visibility:hidden}</style>',
  '" style="background:url(javascript:window.__xss=1)" x="',
  '{{constructor.constructor("window.__xss=1")()}}',
  '<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>',
] as const
export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString']

export const TRACE_ID = `${'f'.repeat(30)}01`
export const hex16 = (n: number) => n.toString(16).padStart(16, '0')

/** JSON text with `__proto__` as a real key, which an object literal cannot express. */
function metadataJson(): string {
  const pairs = [
    ...PROTO_KEYS.map((key) => `${JSON.stringify(key)}: "polluted"`),
    ...PAYLOADS.map(
      (payload, i) =>
        `${JSON.stringify(payload)}: ${JSON.stringify(PAYLOADS[(i + 1) % PAYLOADS.length])}`,
    ),
    '"link": "javascript:window.__xss=\'attr-link\'"',
    '"docs": "https://example.com/docs?a=1"',
  ]
  return `{${pairs.join(', ')}}`
}

/** One ingest body: a trace of spans, one per payload, and scores on them. */
export function xssBody(nowMs: number): string {
  const spans = PAYLOADS.map((payload, i) => {
    const startTime = nowMs - 60_000 - i * 1_000
    return `{
      "traceId": "${TRACE_ID}", "spanId": "${hex16(i + 1)}",
      "parentSpanId": ${i === 0 ? 'null' : `"${hex16(1)}"`},
      "name": ${JSON.stringify(payload)}, "kind": "llm",
      "startTime": ${startTime}, "endTime": ${startTime + 500 + i * 10},
      "provider": ${JSON.stringify(payload)}, "model": ${JSON.stringify(payload)},
      "endpoint": ${JSON.stringify(payload)},
      "status": "${i % 3 === 0 ? 'error' : 'ok'}",
      "error": ${i % 3 === 0 ? JSON.stringify({ type: payload, message: payload, httpStatus: 500 }) : 'null'},
      "usage": { "inputTokens": ${100 + i}, "outputTokens": ${10 + i} }, "costUsd": ${0.01 * (i + 1)},
      "timeToFirstTokenMs": 100, "finishReason": ${JSON.stringify(payload)},
      "userId": ${JSON.stringify(payload)}, "sessionId": ${JSON.stringify(payload)},
      "environment": ${JSON.stringify(payload)}, "release": ${JSON.stringify(payload)},
      "tags": ${JSON.stringify([payload, '__proto__', `variant:${payload}`])},
      "metadata": ${metadataJson()},
      "input": ${JSON.stringify([
        { role: payload, content: payload, name: payload },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: payload, type: 'function', function: { name: payload, arguments: payload } },
          ],
        },
        { role: 'tool', tool_call_id: payload, content: payload },
        {
          role: 'user',
          content: [
            { type: 'image_url', image_url: { url: 'javascript:window.__xss=1' } },
            { type: payload, text: payload },
          ],
        },
      ])},
      "output": ${JSON.stringify({
        role: 'assistant',
        content: [
          { type: 'text', text: payload },
          { type: 'tool_use', id: payload, name: payload, input: { [payload]: payload } },
        ],
      })}
    }`
  })
  const scores = PAYLOADS.map((payload, i) =>
    JSON.stringify({
      traceId: TRACE_ID,
      spanId: hex16(i + 1),
      name: i % 2 === 0 ? payload : '__proto__',
      value: i % 2 === 0 ? 0.5 : null,
      label: i % 2 === 0 ? null : payload,
      source: 'user',
      comment: payload,
      time: nowMs - 30_000,
    }),
  )
  return `{"spans": [${spans.join(',')}], "scores": [${scores.join(',')}]}`
}

/**
 * Calls that make anomalies whose group is a payload: half an hour of calm calls of two payload
 * models, six a minute, then a minute of calls ten times slower and one call a hundred times
 * slower. The Anomalies page, its detail view and the overview markers then show the payloads
 * as group names.
 */
export function anomalyBody(nowMs: number): string {
  const minuteMs = 60_000
  const lastMinuteMs = Math.floor(nowMs / minuteMs) * minuteMs - 2 * minuteMs
  const models = [PAYLOADS[0], PAYLOADS[2]]
  let n = 0
  const spans = models.flatMap((model) => {
    const calls: object[] = []
    const call = (startTime: number, durationMs: number) => {
      n++
      calls.push({
        traceId: `${'e'.repeat(24)}${n.toString(16).padStart(8, '0')}`,
        spanId: n.toString(16).padStart(16, '0'),
        name: model,
        kind: 'llm',
        startTime,
        endTime: startTime + durationMs,
        provider: model,
        model,
        status: 'ok',
        usage: { inputTokens: 100, outputTokens: 20 },
        finishReason: model,
      })
    }
    for (let minute = 30; minute >= 1; minute--) {
      for (let i = 0; i < 6; i++) {
        call(lastMinuteMs - minute * minuteMs + i * 9_000, 900 + ((minute + i) % 5) * 40)
      }
    }
    for (let i = 0; i < 6; i++) call(lastMinuteMs + i * 9_000, 9_500 + i * 100)
    call(lastMinuteMs + 55_000, 100_000)
    return calls
  })
  return JSON.stringify({ spans })
}

/** Alert rules named and filtered by payloads. */
export function alertRuleBodies(): string[] {
  return PAYLOADS.slice(0, 4).map((payload, i) =>
    JSON.stringify({
      id: `xss-${i}`,
      name: payload,
      metric: i % 2 === 0 ? 'errorRate' : 'any',
      condition:
        i % 2 === 0
          ? { type: 'threshold', op: '>', value: 0.5 }
          : { type: 'anomaly', severity: 'critical' },
      filter: { model: [payload], tag: ['__proto__', payload] },
    }),
  )
}
