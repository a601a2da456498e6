// Display formats: every date the user sees is YYYY-MM-DD (timestamps YYYY-MM-DD HH:mm), in local time.

const pad = (n) => String(n).padStart(2, '0')

function toDate(value) {
  if (value === null || value === undefined || value === '') return null
  const d = value instanceof Date ? value : new Date(value)
  return Number.isNaN(d.getTime()) ? null : d
}

/** '2019-04-09' stays as is; Date / ISO timestamp → local 'YYYY-MM-DD'; empty or invalid → ''. */
export function formatDate(value) {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value
  const d = toDate(value)
  return d ? `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}` : ''
}

/** Date / ISO timestamp → local 'YYYY-MM-DD HH:mm'; empty or invalid → ''. */
export function formatDateTime(value) {
  const d = toDate(value)
  return d ? `${formatDate(d)} ${pad(d.getHours())}:${pad(d.getMinutes())}` : ''
}
