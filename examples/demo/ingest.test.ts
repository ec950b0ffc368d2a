import { afterAll, describe, expect, test } from 'bun:test'
import { checkServer, createIngestClient } from './ingest.ts'

const received: Array<{ authorization: string | null; body: unknown }> = []
const server = Bun.serve({
  port: 0,
  hostname: '127.0.0.1',
  async fetch(request) {
    const path = new URL(request.url).pathname
    if (path === '/healthz') return new Response('ok')
    if (request.headers.get('authorization') === 'Bearer wrong') {
      return new Response('bad key', { status: 401 })
    }
    received.push({
      authorization: request.headers.get('authorization'),
      body: await request.json(),
    })
    return Response.json({
      accepted: 1,
      rejected: [{ index: 1, kind: 'span', error: 'spans[1].traceId: expected 32 hex chars' }],
    })
  },
})
const baseUrl = `http://127.0.0.1:${server.port}`
afterAll(() => server.stop(true))

describe('checkServer', () => {
  test('is quiet when the server answers its health check', async () => {
    expect(await checkServer(baseUrl)).toBeNull()
  })

  test('names the URL and how to start the server when nothing listens', async () => {
    const message = await checkServer('http://127.0.0.1:1')
    expect(message).toContain('http://127.0.0.1:1')
    expect(message).toContain('npm start')
  })
})

describe('the ingest client', () => {
  test('posts JSON with the bearer key and counts rejections', async () => {
    const client = createIngestClient(baseUrl, 'secret')
    const result = await client.post({ spans: [], scores: [] })
    expect(received.at(-1)).toEqual({
      authorization: 'Bearer secret',
      body: { spans: [], scores: [] },
    })
    expect(result.accepted).toBe(1)
    expect(result.rejected).toBe(1)
    expect(result.firstRejection).toContain('spans[1].traceId')
  })

  test('sends no Authorization header without a key', async () => {
    await createIngestClient(baseUrl, null).post({ spans: [], scores: [] })
    expect(received.at(-1)?.authorization).toBeNull()
  })

  test('explains a refused key', async () => {
    const client = createIngestClient(baseUrl, 'wrong')
    await expect(client.post({ spans: [], scores: [] })).rejects.toThrow('set LLMLENS_API_KEY')
  })
})
