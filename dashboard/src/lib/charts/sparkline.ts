/**
 * An SVG path through `values` in a 100 × 24 box, lowest value at the bottom. A null (a bucket
 * with no calls) breaks the line instead of dropping it to zero.
 */
export function sparkPath(values: readonly (number | null)[]): string {
  const known = values.filter((value): value is number => value !== null && Number.isFinite(value))
  if (known.length === 0) return ''
  const low = Math.min(0, ...known)
  const high = Math.max(...known)
  const span = high - low || 1
  const stepX = values.length > 1 ? 100 / (values.length - 1) : 0
  let path = ''
  let drawing = false
  values.forEach((value, i) => {
    if (value === null || !Number.isFinite(value)) {
      drawing = false
      return
    }
    const x = (i * stepX).toFixed(2)
    const y = (22 - ((value - low) / span) * 20).toFixed(2)
    path += `${drawing ? 'L' : 'M'}${x} ${y}`
    drawing = true
  })
  return path
}
