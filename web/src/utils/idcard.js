// Chinese resident ID number check (GB 11643-1999: 18 characters, valid birth date, ISO 7064 MOD 11-2 check digit).

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const CHECK_CHARS = '10X98765432'

/** True when value is a well-formed 18-character ID number whose birth date and check digit are valid. */
export function isValidIdNumber(value) {
  const id = String(value || '').trim().toUpperCase()
  if (!/^\d{17}[\dX]$/.test(id)) return false
  const y = Number(id.slice(6, 10))
  const m = Number(id.slice(10, 12))
  const d = Number(id.slice(12, 14))
  const birth = new Date(y, m - 1, d)
  if (y < 1900 || birth.getFullYear() !== y || birth.getMonth() !== m - 1 || birth.getDate() !== d) return false
  if (birth > new Date()) return false
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * WEIGHTS[i]
  return CHECK_CHARS[sum % 11] === id[17]
}
