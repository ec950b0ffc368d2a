import { describe, expect, test } from 'bun:test'
import { parseCliArgs } from './cli-args.ts'

describe('parseCliArgs', () => {
  test('defaults to port 4381 on loopback with no latency', () => {
    expect(parseCliArgs([])).toEqual({
      port: 4381,
      host: '127.0.0.1',
      latency: 'none',
      seed: 1,
      help: false,
    })
  })

  test('reads flags in both "--flag value" and "--flag=value" forms', () => {
    expect(parseCliArgs(['--port', '0', '--latency=realistic', '--seed', '9'])).toMatchObject({
      port: 0,
      latency: 'realistic',
      seed: 9,
    })
  })

  test.each([
    [['--port', '70000'], '--port must be an integer in 0..65535 (actual: "70000")'],
    [['--latency', 'slow'], '--latency must be "realistic" or "none" (actual: "slow")'],
    [['--port'], '--port needs a value'],
    [['--verbose', 'yes'], 'unknown option --verbose'],
  ])('rejects %j', (argv, message) => {
    expect(parseCliArgs(argv)).toBe(message)
  })
})

describe('the CLI', () => {
  test('prints one listening line, serves, and exits cleanly on SIGTERM', async () => {
    const child = Bun.spawn(['bun', `${import.meta.dir}/main.ts`, '--port', '0'], {
      stdout: 'pipe',
      stderr: 'pipe',
    })
    const reader = child.stdout.getReader()
    const { value } = await reader.read()
    const line = new TextDecoder().decode(value)
    const match = line.match(/^fake-provider listening on (http:\/\/127\.0\.0\.1:(\d+))\n$/)
    expect(match).not.toBeNull()

    const health = await fetch(`${match?.[1]}/healthz`)
    expect(await health.text()).toBe('ok')

    child.kill('SIGTERM')
    expect(await child.exited).toBe(0)
    // Nothing else reaches stdout: harnesses may keep reading it.
    expect((await reader.read()).done).toBe(true)
  })

  test('exits with status 2 and usage on a bad flag', async () => {
    const child = Bun.spawn(['bun', `${import.meta.dir}/main.ts`, '--latency', 'slow'], {
      stdout: 'pipe',
      stderr: 'pipe',
    })
    expect(await child.exited).toBe(2)
    const stderr = await new Response(child.stderr).text()
    expect(stderr).toContain('--latency must be "realistic" or "none"')
    expect(stderr).toContain('Usage:')
  })
})
