import { describe, expect, test } from 'bun:test'
import { Hub, type LiveEvent, type Subscriber } from './hub.ts'

function subscriber(capacity: number): Subscriber & { got: LiveEvent[]; closed: boolean } {
  const s = {
    got: [] as LiveEvent[],
    closed: false,
    deliver(event: LiveEvent) {
      if (s.got.length >= capacity) return false
      s.got.push(event)
      return true
    },
    close() {
      s.closed = true
    },
  }
  return s
}

describe('Hub', () => {
  test('delivers each event to every subscriber, serialised once', () => {
    const hub = new Hub()
    const a = subscriber(10)
    const b = subscriber(10)
    hub.subscribe(a)
    hub.subscribe(b)
    hub.publish('span', { spanId: 'x' })
    expect(a.got).toEqual([{ type: 'span', json: '{"spanId":"x"}' }])
    expect(b.got[0]).toBe(a.got[0] as LiveEvent)
  })

  test('drops a subscriber that cannot keep up, and keeps serving the others', () => {
    const hub = new Hub()
    const slow = subscriber(1)
    const fast = subscriber(10)
    hub.subscribe(slow)
    hub.subscribe(fast)
    hub.publish('span', 1)
    hub.publish('span', 2)
    hub.publish('span', 3)
    expect(slow.closed).toBe(true)
    expect(hub.size).toBe(1)
    expect(hub.droppedSubscribers).toBe(1)
    expect(fast.got.map((e) => e.json)).toEqual(['1', '2', '3'])
  })

  test('unsubscribe stops delivery', () => {
    const hub = new Hub()
    const a = subscriber(10)
    const unsubscribe = hub.subscribe(a)
    unsubscribe()
    hub.publish('score', {})
    expect(a.got).toEqual([])
  })
})
