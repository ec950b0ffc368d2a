/**
 * The TypeScript SDK in two lines: `observe` the OpenAI client, then use it as usual. This
 * program starts the bundled fake provider so it needs no API key, makes a few calls inside a
 * trace, and sends the spans to the llmlens server at LLMLENS_URL (default
 * http://127.0.0.1:4380). With no server running the calls still succeed: the SDK never fails
 * the application.
 *
 *   npm start &                     # the server
 *   bun examples/sdk-typescript.ts  # then open the dashboard, or GET /api/v1/traces/<id>
 */
import { observe, score, shutdown, span, trace } from 'llmlens'
import OpenAI from 'openai'
import { createFakeProvider } from '../fake-provider/src/index.ts'

const provider = await createFakeProvider().start()
const openai = observe(new OpenAI({ baseURL: `${provider.url}/v1`, apiKey: 'not-needed' }))

const traceId = await trace(
  'answer a question',
  { userId: 'u-17', kind: 'agent' },
  async (root) => {
    const context = await span('look up notes', { kind: 'retrieval' }, async () => [
      'Week 48: latency down 12%.',
    ])
    const reply = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: `Notes: ${context.join(' ')}` },
        { role: 'user', content: 'How did latency change this week?' },
      ],
    })
    console.log(reply.choices[0]?.message.content)
    return root.traceId
  },
)

score({ traceId, name: 'helpfulness', value: 1, source: 'user' })
const sent = await shutdown(5000)
console.log(`trace ${traceId}${sent ? '' : ' (not delivered: is the llmlens server running?)'}`)
await provider.stop()
