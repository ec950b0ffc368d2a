import { parseCliArgs, USAGE } from './cli-args.ts'
import { createFakeProvider } from './index.ts'

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost'])

const args = parseCliArgs(Bun.argv.slice(2))
if (typeof args === 'string') {
  console.error(`fake-provider: ${args}\n\n${USAGE}`)
  process.exit(2)
}
if (args.help) {
  console.log(USAGE)
  process.exit(0)
}
if (!LOOPBACK_HOSTS.has(args.host)) {
  console.error(`fake-provider: warning: bound to ${args.host}, reachable from other machines`)
}

const fake = createFakeProvider({ latency: args.latency, seed: args.seed })
const running = await fake.start(args.port, args.host).catch((error: unknown) => {
  const reason = error instanceof Error ? error.message : String(error)
  console.error(`fake-provider: cannot listen on ${args.host}:${args.port}: ${reason}`)
  process.exit(1)
})

// Other programs (test harnesses in any language) read this one line to learn the port.
console.log(`fake-provider listening on ${running.url}`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void running.stop().finally(() => process.exit(0))
  })
}
