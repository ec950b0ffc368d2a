import { createHandler, type FetchHandler } from './handler.ts'
import type { FakeProviderOptions } from './options.ts'
import { resolveOptions } from './resolve.ts'

export { CATALOG } from './catalog.ts'
export { type ApiErrorKind, FAKE_ERROR_KINDS, type FakeErrorKind } from './errors.ts'
export { countTokens, reasoningTokensFor, replyText } from './generate.ts'
export { embedText } from './openai-embeddings.ts'
export type {
  FakeModelOptions,
  FakeProviderOptions,
  LatencyProfile,
  LatencySpike,
  ProviderApi,
} from './options.ts'
export type { FetchHandler }

export const DEFAULT_PORT = 4381
export const DEFAULT_HOST = '127.0.0.1'

export interface RunningFakeProvider {
  /** Base URL without a path, e.g. `http://127.0.0.1:4381`; OpenAI clients add `/v1`. */
  url: string
  port: number
  /** Closes the listener and every open connection. */
  stop(): Promise<void>
}

export interface FakeProvider {
  /** The plain `Request => Response` handler, usable without a server. */
  fetch: FetchHandler
  /** Serves the handler; port 0 (the default) picks a free port. Loopback unless told otherwise. */
  start(port?: number, host?: string): Promise<RunningFakeProvider>
}

/**
 * A fake OpenAI and Anthropic API that the official SDKs accept unchanged. It makes no
 * outbound calls; answers, latency and injected errors are deterministic for a given seed.
 *
 * @example
 * const fake = createFakeProvider({ models: { 'gpt-4o-mini': { errorRate: 0.05 } } })
 * const server = await fake.start()
 * const openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'test' })
 * const anthropic = new Anthropic({ baseURL: server.url, apiKey: 'test' })
 * await server.stop()
 */
export function createFakeProvider(options: FakeProviderOptions = {}): FakeProvider {
  const fetch = createHandler(resolveOptions(options))

  async function start(port = 0, host = DEFAULT_HOST): Promise<RunningFakeProvider> {
    // Injected timeouts and slow streams stay silent for long stretches; Bun's default idle
    // timeout (10 s) would cut them, so it is off and clients decide when to give up.
    const server = Bun.serve({ port, hostname: host, idleTimeout: 0, fetch })
    const boundPort = server.port ?? port
    const urlHost = host.includes(':') ? `[${host}]` : host
    return {
      url: `http://${urlHost}:${boundPort}`,
      port: boundPort,
      stop: () => server.stop(true),
    }
  }

  return { fetch, start }
}
