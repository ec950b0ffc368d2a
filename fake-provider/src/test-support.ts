import { afterAll, beforeAll } from 'bun:test'
import { createFakeProvider, type FakeProviderOptions, type RunningFakeProvider } from './index.ts'

/** One server-sent event as a client sees it. */
export interface ReceivedEvent {
  event: string | null
  data: string
}

/** A fake started on a free port for the tests of one file, stopped after them. */
export function useFakeProvider(options: FakeProviderOptions = {}): { url: () => string } {
  let running: RunningFakeProvider | null = null
  beforeAll(async () => {
    running = await createFakeProvider(options).start(0)
  })
  afterAll(async () => {
    await running?.stop()
  })
  return {
    url: () => {
      if (running === null) throw new Error('the fake provider is not started yet')
      return running.url
    },
  }
}

/** POSTs JSON, with optional extra headers. */
export function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })
}

/** Reads a whole SSE body into events, the way the SDKs' decoders split it. */
export async function readEvents(response: Response): Promise<ReceivedEvent[]> {
  const text = await response.text()
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      let event: string | null = null
      const data: string[] = []
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice('event: '.length)
        if (line.startsWith('data: ')) data.push(line.slice('data: '.length))
      }
      return { event, data: data.join('\n') }
    })
}

/** The JSON payloads of the events, skipping OpenAI's `[DONE]` sentinel. */
export function payloads(events: ReceivedEvent[]): Array<Record<string, unknown>> {
  return events.filter((event) => event.data !== '[DONE]').map((event) => JSON.parse(event.data))
}
