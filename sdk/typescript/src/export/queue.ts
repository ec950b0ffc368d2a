/**
 * A ring buffer of fixed capacity. Pushing into a full queue drops the oldest item and counts
 * it: under a collector outage the newest data is the most useful, and memory stays flat.
 */
export class BoundedQueue<T> {
  private readonly items: (T | undefined)[]
  private head = 0
  private count = 0
  /** Items pushed out by newer ones since the queue was made. */
  dropped = 0

  constructor(readonly capacity: number) {
    this.items = new Array(capacity)
  }

  get length(): number {
    return this.count
  }

  push(item: T): void {
    if (this.count === this.capacity) {
      this.items[this.head] = item
      this.head = (this.head + 1) % this.capacity
      this.dropped++
      return
    }
    this.items[(this.head + this.count) % this.capacity] = item
    this.count++
  }

  peek(): T | undefined {
    return this.count === 0 ? undefined : this.items[this.head]
  }

  shift(): T | undefined {
    if (this.count === 0) return undefined
    const item = this.items[this.head]
    this.items[this.head] = undefined
    this.head = (this.head + 1) % this.capacity
    this.count--
    return item
  }

  /** Empties the queue and returns how many items it held. */
  clear(): number {
    const held = this.count
    while (this.count > 0) this.shift()
    return held
  }
}
