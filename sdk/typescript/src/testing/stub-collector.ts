import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { gunzipSync } from 'node:zlib'

/** What a stub answers to the n-th request (0-based); `hang` never answers. */
export type StubAnswer = { status: number; headers?: Record<string, string> } | 'hang'

export interface StubCollector {
  url: string
  /** Every request body, decompressed and parsed. */
  bodies: { spans?: unknown[]; scores?: unknown[] }[]
  stop(): Promise<void>
}

/**
 * A collector that misbehaves on purpose: it answers each request as `answer` says and accepts
 * whatever a 200 carries. Its sockets are destroyed on stop so a hanging request ends.
 */
export function startStubCollector(answer: (index: number) => StubAnswer): Promise<StubCollector> {
  const bodies: StubCollector['bodies'] = []
  const sockets = new Set<Socket>()
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const raw = Buffer.concat(chunks)
      const text = request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw
      const body = JSON.parse(text.toString('utf8')) as StubCollector['bodies'][number]
      const reply = answer(bodies.length)
      bodies.push(body)
      if (reply === 'hang') return
      const accepted = (body.spans?.length ?? 0) + (body.scores?.length ?? 0)
      response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers })
      response.end(
        JSON.stringify(
          reply.status === 200 ? { accepted, rejected: [], warnings: [] } : { error: 'no' },
        ),
      )
    })
  })
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      resolve({
        url: `http://127.0.0.1:${port}`,
        bodies,
        stop: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy()
            server.close(() => done())
          }),
      })
    })
  })
}

/** A URL where nothing listens: a port that was free a moment ago. */
export async function deadUrl(): Promise<string> {
  const stub = await startStubCollector(() => ({ status: 200 }))
  await stub.stop()
  return stub.url
}
