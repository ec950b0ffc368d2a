const clock = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
})
const dateTime = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
})

/** 14:03:27 today, or Dec 3, 14:03 on another day. */
export function formatTime(ms: number, nowMs: number = Date.now()): string {
  const sameDay = new Date(ms).toDateString() === new Date(nowMs).toDateString()
  return sameDay ? clock.format(ms) : dateTime.format(ms)
}

/** The value of an <input type="datetime-local"> for a time, in local time. */
export function toLocalInput(ms: number): string {
  const date = new Date(ms)
  const pad = (n: number) => String(n).padStart(2, '0')
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}`
  )
}

/** The time an <input type="datetime-local"> names, or null when it is empty or invalid. */
export function fromLocalInput(value: string): number | null {
  if (value === '') return null
  const ms = new Date(value).getTime()
  return Number.isFinite(ms) ? ms : null
}

const MINUTE_MS = 60_000

/** A duration as a person says it: 30 s, 5 min, 1 h 30 min, 7 days. */
export function formatDuration(ms: number): string {
  if (ms < MINUTE_MS) return `${Math.round(ms / 1000)} s`
  const minutes = Math.round(ms / MINUTE_MS)
  if (minutes < 60) return `${minutes} min`
  if (minutes % 1_440 === 0) return `${minutes / 1_440} day${minutes === 1_440 ? '' : 's'}`
  const hours = Math.floor(minutes / 60)
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`
}
