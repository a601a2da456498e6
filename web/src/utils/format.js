// Display formats: every date the user sees is YYYY-MM-DD (timestamps YYYY-MM-DD HH:mm), in Beijing time
// (UTC+8, no daylight saving) whatever zone the browser is set to.

const pad = (n) => String(n).padStart(2, '0')
const BEIJING_OFFSET_MS = 8 * 3600 * 1000

function toDate(value) {
  if (value === null || value === undefined || value === '') return null
  const d = value instanceof Date ? value : new Date(value)
  return Number.isNaN(d.getTime()) ? null : d
}

/** The instant shifted to Beijing wall-clock time, to be read with the getUTC* methods. */
function beijing(d) {
  return new Date(d.getTime() + BEIJING_OFFSET_MS)
}

/** '2019-04-09' stays as is (also the date of a zoneless '2019-04-09 10:55'); Date / ISO timestamp → Beijing
 * 'YYYY-MM-DD'; empty or invalid → ''. */
export function formatDate(value) {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/.test(value)) return value.slice(0, 10)
  const d = toDate(value)
  if (!d) return ''
  const b = beijing(d)
  return `${b.getUTCFullYear()}-${pad(b.getUTCMonth() + 1)}-${pad(b.getUTCDate())}`
}

/**
 * Date / ISO timestamp → Beijing 'YYYY-MM-DD HH:mm'; a wall-clock text without a zone
 * ('2019-04-09 10:55[:23]', as some answers give it) is already Beijing time and kept; empty or invalid → ''.
 */
export function formatDateTime(value) {
  if (typeof value === 'string') {
    const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(:\d{2}(\.\d+)?)?$/.exec(value)
    if (m) return `${m[1]} ${m[2]}`
  }
  const d = toDate(value)
  if (!d) return ''
  const b = beijing(d)
  return `${formatDate(d)} ${pad(b.getUTCHours())}:${pad(b.getUTCMinutes())}`
}

/** Today's date in Beijing as 'YYYY-MM-DD'. */
export function todayBeijing() {
  return formatDate(new Date())
}

/**
 * A date picker's Date → 'YYYY-MM-DD'. Element Plus hands out the local midnight of the calendar day
 * clicked, so the day is read with the local getters (not shifted to Beijing); null → ''.
 */
export function calendarDay(d) {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) return ''
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

/** 'YYYY-MM-DD' → the local Date of that calendar day, for a picker's default-value / disabled-date. */
export function pickerDate(day) {
  const [y, m, d] = String(day).split('-').map(Number)
  return new Date(y, (m || 1) - 1, d || 1)
}

/** Beijing's now as 'YYYYMMDD-HHmm', for the names of downloaded files. */
export function stampBeijing(now = new Date()) {
  return formatDateTime(now).replace(/-/g, '').replace(' ', '-').replace(':', '')
}
