/**
 * A timer that never keeps the process alive: the exporter must not hold a finished program
 * open (Node and Bun return an object with `unref`; browsers a number).
 */
export function unrefTimeout(fn: () => void, delayMs: number): ReturnType<typeof setTimeout> {
  const timer = setTimeout(fn, delayMs)
  if (typeof timer === 'object' && timer !== null && 'unref' in timer) {
    ;(timer as { unref(): void }).unref()
  }
  return timer
}

export function sleepMs(delayMs: number): Promise<void> {
  return new Promise((resolve) => unrefTimeout(resolve, delayMs))
}
