import { loadConfig } from '../config/config.ts'
import { memoryLogger } from '../log.ts'
import { type RunningServer, startServer } from '../server.ts'

/**
 * The real llmlens server, listening on a free loopback port over an in-memory store, for tests
 * that drive it with real OTLP exporters over the network.
 */
export function startTestServer(
  extraArgs: string[] = [],
): RunningServer & { log: ReturnType<typeof memoryLogger> } {
  const argv = ['--host', '127.0.0.1', '--port', '0', '--db', ':memory:', ...extraArgs]
  const log = memoryLogger()
  return { ...startServer(loadConfig({}, argv), log), log }
}
