import { describe, expect, test } from 'bun:test'
import { Refresher, type Timers } from './refresher.ts'

/** Timers on a clock the test moves by hand. */
function fakeTimers() {
  let nowMs = 0
  let nextId = 1
  const pending = new Map<number, { atMs: number; fn: () => void }>()
  const timers: Timers = {
    now: () => nowMs,
    setTimeout(fn, ms) {
      const id = nextId++
      pending.set(id, { atMs: nowMs + ms, fn })
      return id
    },
    clearTimeout(handle) {
      pending.delete(handle as number)
    },
  }
  const advance = async (ms: number) => {
    const endMs = nowMs + ms
    while (true) {
      const due = [...pending.entries()].filter(([, t]) => t.atMs <= endMs)
      due.sort((a, b) => a[1].atMs - b[1].atMs)
      const first = due[0]
      if (first === undefined) break
      pending.delete(first[0])
      nowMs = first[1].atMs
      first[1].fn()
      await Promise.resolve()
      await Promise.resolve()
    }
    nowMs = endMs
  }
  return { timers, advance }
}

const OPTIONS = { idleMs: 60_000, dirtyMinMs: 10_000, costFactor: 20 }

describe('Refresher', () => {
  test('without new data it re-reads at the idle interval', async () => {
    const { timers, advance } = fakeTimers()
    let reads = 0
    const refresher = new Refresher(async () => reads++, OPTIONS, timers)
    refresher.start(5)

    await advance(59_999)
    expect(reads).toBe(0)
    await advance(1)
    expect(reads).toBe(1)
    await advance(60_000)
    expect(reads).toBe(2)
    refresher.stop()
  })

  test('new data brings the next read forward, but no sooner than the minimum', async () => {
    const { timers, advance } = fakeTimers()
    let reads = 0
    const refresher = new Refresher(async () => reads++, OPTIONS, timers)
    refresher.start(5)

    refresher.markDirty()
    await advance(9_999)
    expect(reads).toBe(0)
    await advance(1)
    expect(reads).toBe(1)
    refresher.stop()
  })

  test('a slow read spaces the next ones out in proportion', async () => {
    const { timers, advance } = fakeTimers()
    let reads = 0
    const refresher = new Refresher(async () => reads++, OPTIONS, timers)
    refresher.start(1_500)

    refresher.markDirty()
    await advance(29_999)
    expect(reads).toBe(0)
    await advance(1)
    expect(reads).toBe(1)
    refresher.stop()
  })

  test('marking dirty many times schedules one read; stop cancels it', async () => {
    const { timers, advance } = fakeTimers()
    let reads = 0
    const refresher = new Refresher(async () => reads++, OPTIONS, timers)
    refresher.start(5)

    for (let i = 0; i < 100; i++) refresher.markDirty()
    await advance(10_000)
    expect(reads).toBe(1)
    refresher.markDirty()
    refresher.stop()
    await advance(120_000)
    expect(reads).toBe(1)
  })

  test('a failing read does not end the schedule', async () => {
    const { timers, advance } = fakeTimers()
    let reads = 0
    const refresher = new Refresher(
      async () => {
        reads++
        throw new Error('offline')
      },
      OPTIONS,
      timers,
    )
    refresher.start(5)
    await advance(120_000)
    expect(reads).toBe(2)
    refresher.stop()
  })
})
