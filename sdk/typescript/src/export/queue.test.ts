import assert from 'node:assert/strict'
import { test } from 'node:test'
import { BoundedQueue } from './queue.ts'

test('a full queue drops the oldest and counts each drop', () => {
  const queue = new BoundedQueue<number>(3)
  for (let i = 1; i <= 5; i++) queue.push(i)
  assert.equal(queue.length, 3)
  assert.equal(queue.dropped, 2)
  assert.deepEqual(
    [queue.shift(), queue.shift(), queue.shift(), queue.shift()],
    [3, 4, 5, undefined],
  )
})

test('it wraps around without losing order', () => {
  const queue = new BoundedQueue<number>(2)
  queue.push(1)
  queue.shift()
  queue.push(2)
  queue.push(3)
  assert.equal(queue.peek(), 2)
  assert.equal(queue.clear(), 2)
  assert.equal(queue.length, 0)
  assert.equal(queue.dropped, 0)
})
