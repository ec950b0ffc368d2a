import type uPlot from 'uplot'

/**
 * Loads the chart library, a chunk of its own: about 51 KB minified, nearly a third of the
 * overview's JavaScript. A page whose first paint matters holds it back until its headline
 * numbers are on screen, so the browser spends its first moments on those and not on code for
 * the charts below them.
 */
let holds = 0
let released: Promise<void> = Promise.resolve()
let release: () => void = () => {}
let library: Promise<typeof uPlot> | null = null

/**
 * Keeps the chart library from loading until the returned function is called. Calling it twice
 * is harmless; a page calls it once its numbers are painted, and again when it leaves.
 */
export function holdChartLibrary(): () => void {
  if (holds === 0) {
    released = new Promise((resolve) => {
      release = resolve
    })
  }
  holds++
  let done = false
  return () => {
    if (done) return
    done = true
    holds--
    if (holds === 0) release()
  }
}

/** uPlot, once no page holds it back. */
export function loadChartLibrary(): Promise<typeof uPlot> {
  return released.then(() => {
    library ??= import('uplot').then((module) => module.default)
    return library
  })
}
