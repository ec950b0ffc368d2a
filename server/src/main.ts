import { CONFIG_HELP, ConfigError, loadConfig } from './config/config.ts'
import { createLogger } from './log.ts'
import { startServer } from './server.ts'

const args = process.argv.slice(2)
if (args.includes('--help') || args.includes('-h')) {
  console.log(
    `llmlens server\n\nEach setting is a flag or an environment variable:\n${CONFIG_HELP}`,
  )
  process.exit(0)
}

let config: ReturnType<typeof loadConfig>
try {
  config = loadConfig(process.env, args)
} catch (error) {
  console.error(
    error instanceof ConfigError ? error.message : `llmlens: ${(error as Error).message}`,
  )
  process.exit(2)
}

const log = createLogger({ level: config.logLevel })
let server: ReturnType<typeof startServer>
try {
  server = startServer(config, log)
} catch (error) {
  log.error('llmlens could not start', { error: (error as Error).message })
  process.exit(1)
}

server.grpc.catch(async (error: Error) => {
  log.error('llmlens could not start OTLP/gRPC', {
    port: config.grpcPort,
    error: error.message,
    fix: 'free the port or set LLMLENS_GRPC_PORT to another (empty turns gRPC off)',
  })
  await server.stop()
  process.exit(1)
})

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    log.info('stopping', { signal })
    void server.stop().then(() => process.exit(0))
  })
}
