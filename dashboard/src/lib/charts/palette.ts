/** Series colours come from this fixed list by position, never from a series' name or data. */
export const PALETTE_SIZE = 8

/** The CSS class of the swatch for series `index`. */
export function swatchClass(index: number): string {
  return `swatch s${index % PALETTE_SIZE}`
}

/** The theme's colours, read from the stylesheet's custom properties. */
export interface ChartColours {
  series: string[]
  text: string
  muted: string
  grid: string
  /** The fill of a baseline's band, behind the series. */
  band: string
}

export function readColours(root: Element = document.documentElement): ChartColours {
  const style = getComputedStyle(root)
  const read = (name: string) => style.getPropertyValue(name).trim()
  return {
    series: Array.from({ length: PALETTE_SIZE }, (_, i) => read(`--series-${i}`)),
    text: read('--text'),
    muted: read('--muted'),
    grid: read('--grid'),
    band: read('--band'),
  }
}
