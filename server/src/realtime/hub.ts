export type LiveEventType = 'span' | 'score' | 'anomaly' | 'alert'

/** An event serialised once, however many clients receive it. */
export interface LiveEvent {
  type: LiveEventType
  json: string
}

/** A connected client; `deliver` returns false when the client has fallen too far behind. */
export interface Subscriber {
  deliver(event: LiveEvent): boolean
  close(): void
}

/** Fans each accepted span, score, anomaly and alert out to every live client. */
export class Hub {
  private readonly subscribers = new Set<Subscriber>()
  droppedSubscribers = 0

  get size(): number {
    return this.subscribers.size
  }

  subscribe(subscriber: Subscriber): () => void {
    this.subscribers.add(subscriber)
    return () => this.subscribers.delete(subscriber)
  }

  publish(type: LiveEventType, data: unknown): void {
    if (this.subscribers.size === 0) return
    const event = { type, json: JSON.stringify(data) }
    for (const subscriber of this.subscribers) {
      if (subscriber.deliver(event)) continue
      this.subscribers.delete(subscriber)
      this.droppedSubscribers++
      subscriber.close()
    }
  }

  closeAll(): void {
    for (const subscriber of this.subscribers) subscriber.close()
    this.subscribers.clear()
  }
}
