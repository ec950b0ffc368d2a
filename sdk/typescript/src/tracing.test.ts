import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { createContext, stackContext } from './context.ts'
import { Llmlens, type LlmlensOptions } from './index.ts'
import { capturingFetch } from './testing/fixed.ts'
import type { LlmlensErrorEvent, WireSpan } from './types.ts'

function capturing(options: LlmlensOptions = {}) {
  const capture = capturingFetch()
  const errors: LlmlensErrorEvent[] = []
  const lens = new Llmlens({
    fetch: capture.fetch,
    flushOnExit: false,
    onError: (event) => errors.push(event),
    ...options,
  })
  const spans = async () => {
    assert.equal(await lens.flush(), true)
    return capture.bodies.flatMap((body) => (body as { spans?: WireSpan[] }).spans ?? [])
  }
  return { lens, spans, errors }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 1))

describe('trace, span and wrap', () => {
  test('nested spans land under their parents across awaits, in a tree of one trace', async () => {
    const { lens, spans } = capturing()
    const lookup = lens.wrap(
      async (city: string) => {
        await tick()
        return { city, celsius: 21 }
      },
      { name: 'get_weather', kind: 'tool' },
    )

    const answer = await lens.trace('agent run', { kind: 'agent', userId: 'u-1' }, async () => {
      const docs = await lens.span('search', { kind: 'retrieval' }, async (span) => {
        await tick()
        span.update({ output: ['doc-1'] })
        return ['doc-1']
      })
      const weather = await lookup('Oslo')
      return `${docs.length} ${weather.celsius}`
    })
    assert.equal(answer, '1 21')

    const sent = await spans()
    const byName = new Map(sent.map((span) => [span.name, span]))
    const root = byName.get('agent run') as WireSpan
    assert.equal(root.kind, 'agent')
    assert.equal(root.parentSpanId, null)
    for (const name of ['search', 'get_weather']) {
      const child = byName.get(name) as WireSpan
      assert.equal(child.traceId, root.traceId)
      assert.equal(child.parentSpanId, root.spanId)
      assert.equal(child.userId, 'u-1', 'trace attributes reach every span')
    }
    assert.deepEqual(byName.get('search')?.output, ['doc-1'])
    assert.deepEqual(byName.get('get_weather')?.input, 'Oslo')
    assert.deepEqual(byName.get('get_weather')?.output, { city: 'Oslo', celsius: 21 })
  })

  test('concurrent traces do not mix their spans', async () => {
    const { lens, spans } = capturing()
    await Promise.all(
      ['a', 'b', 'c'].map((name) =>
        lens.trace(name, async () => {
          await tick()
          await lens.span(`${name}-child`, async () => tick())
        }),
      ),
    )
    const sent = await spans()
    for (const name of ['a', 'b', 'c']) {
      const root = sent.find((span) => span.name === name) as WireSpan
      const child = sent.find((span) => span.name === `${name}-child`) as WireSpan
      assert.equal(child.parentSpanId, root.spanId, name)
    }
  })

  test('an explicit parent works where no async context exists', async () => {
    const { lens, spans } = capturing()
    let parentId = ''
    await lens.trace('root', async (root) => {
      parentId = root.spanId
      // A callback that runs outside the root's context, as on a runtime without it.
      await new Promise<void>((resolve) => {
        queueMicrotask(() => {
          lens.span('child', { parent: root }, () => undefined)
          resolve()
        })
      })
    })
    const child = (await spans()).find((span) => span.name === 'child')
    assert.equal(child?.parentSpanId, parentId)
  })

  test('errors are recorded and rethrown unchanged, sync and async', async () => {
    const { lens, spans } = capturing()
    const failure = new RangeError('bad input')
    assert.throws(
      () =>
        lens.span('sync', () => {
          throw failure
        }),
      (error) => error === failure,
    )
    await assert.rejects(
      lens.span('async', async () => {
        throw failure
      }),
      (error) => error === failure,
    )
    const wrapped = lens.wrap(function named() {
      throw failure
    })
    assert.throws(
      () => wrapped(),
      (error) => error === failure,
    )
    const sent = await spans()
    assert.deepEqual(
      sent.map((span) => [span.name, span.status, span.error]),
      ['sync', 'async', 'named'].map((name) => [
        name,
        'error',
        { type: 'unknown', message: 'bad input', httpStatus: null },
      ]),
    )
  })

  test('wrap keeps `this`, the name, and the return value; onResult reads the result', async () => {
    const { lens, spans } = capturing()
    const client = {
      prefix: 'hi ',
      complete(text: string) {
        return { model: 'small-1', text: this.prefix + text, tokens: 3 }
      },
    }
    client.complete = lens.wrap(client.complete, {
      kind: 'llm',
      name: 'chat small-1',
      onResult: (result, span) =>
        span.update({
          provider: 'acme',
          model: result.model,
          usage: { outputTokens: result.tokens },
        }),
    })
    assert.equal(client.complete.name, 'complete')
    assert.equal(client.complete('there').text, 'hi there')
    const [span] = await spans()
    assert.equal(span?.provider, 'acme')
    assert.equal(span?.model, 'small-1')
    assert.deepEqual(span?.usage, { outputTokens: 3 })
  })

  test('currentSpan() is the innermost running span', async () => {
    const { lens } = capturing()
    assert.equal(lens.currentSpan(), undefined)
    await lens.trace('outer', async (outer) => {
      await tick()
      assert.equal(lens.currentSpan()?.spanId, outer.spanId)
      lens.span('inner', (inner) => assert.equal(lens.currentSpan()?.spanId, inner.spanId))
    })
  })
})

describe('sampling, redaction and content', () => {
  test('sampleRate 0 sends nothing and counts the traces it skipped', async () => {
    const { lens, spans } = capturing({ sampleRate: 0 })
    await lens.trace('skipped', async () => lens.span('child too', () => undefined))
    assert.deepEqual(await spans(), [])
    assert.equal(lens.stats().sampledOut, 2)
  })

  test('redact changes what is sent, never the application objects', async () => {
    const { lens, spans } = capturing({
      redact: (span) => {
        const messages = span.input as { content: string }[]
        for (const message of messages) message.content = message.content.replace(/\d{4}/g, '####')
        return { ...span, userId: null }
      },
    })
    const messages = [{ role: 'user', content: 'card 1234' }]
    lens.span('chat', { input: messages, userId: 'u-9' }, () => undefined)
    const [span] = await spans()
    assert.deepEqual(span?.input, [{ role: 'user', content: 'card ####' }])
    assert.equal(span?.userId, null)
    assert.equal(messages[0]?.content, 'card 1234')
  })

  test('a redact hook that throws fails closed: no content is sent, onError hears why', async () => {
    const { lens, spans, errors } = capturing({
      redact: () => {
        throw new Error('scrubber broke')
      },
    })
    lens.span('chat', { input: 'secret' }, (span) =>
      span.update({ output: 'also secret', model: 'm' }),
    )
    const [span] = await spans()
    assert.equal(span?.input, null)
    assert.equal(span?.output, null)
    assert.equal(span?.model, 'm', 'the rest of the span still arrives')
    assert.equal(errors[0]?.kind, 'redact-failed')
  })

  test('redact returning null drops the span', async () => {
    const { lens, spans } = capturing({ redact: (span) => (span.name === 'drop me' ? null : span) })
    lens.span('drop me', () => undefined)
    lens.span('keep me', () => undefined)
    assert.deepEqual(
      (await spans()).map((span) => span.name),
      ['keep me'],
    )
  })

  test('captureContent: false records no input or output anywhere', async () => {
    const { lens, spans } = capturing({ captureContent: false })
    lens.wrap((text: string) => text.toUpperCase(), { name: 'shout' })('quiet')
    const [span] = await spans()
    assert.equal(span?.input, null)
    assert.equal(span?.output, null)
  })

  test('an invalid score goes to onError, never throws', async () => {
    const { lens, errors } = capturing()
    lens.score({ traceId: 'nope', name: 'x', value: 1 })
    assert.deepEqual(
      errors.map((event) => event.message),
      ['score.traceId must be 32 hex characters (actual: "nope")'],
    )
  })
})

describe('the context fallback without AsyncLocalStorage', () => {
  test('this runtime carries context across awaits', () => {
    assert.equal(createContext<string>().mechanism, 'async-local-storage')
  })

  test('the stack carries a value through synchronous code and never leaks it past an await', async () => {
    const context = stackContext<string>()
    const seen: (string | undefined)[] = []
    const pending = context.run('outer', async () => {
      seen.push(context.active())
      context.run('inner', () => seen.push(context.active()))
      seen.push(context.active())
      await tick()
      seen.push(context.active())
    })
    seen.push(context.active())
    await pending
    // After the await the value is gone rather than wrong: a span started there becomes a
    // root, which `parent` options fix.
    assert.deepEqual(seen, ['outer', 'inner', 'outer', undefined, undefined])
  })
})
