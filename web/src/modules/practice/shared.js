// What the 考试服务 pages share: the occupation choices (occupations and their 工种 as one list) and words.
import { listOccupations, LEVEL_TEXT } from '../../api/ref.js'

/** Occupations and their directions as select options [{ id, label, levels }] in the reference order. */
export async function occupationChoices() {
  const items = await listOccupations()
  const out = []
  for (const o of items) {
    out.push({ id: o.id, label: o.name, levels: o.levels || [5, 4, 3, 2, 1] })
    for (const d of o.directions || []) out.push({ id: d.id, label: `${o.name} / ${d.name}`, levels: d.levels || o.levels || [5, 4, 3, 2, 1] })
  }
  return out
}

/** Level options 5..1 limited to `levels` (all when absent). */
export function levelChoices(levels) {
  return [5, 4, 3, 2, 1].filter((l) => !levels || levels.includes(l)).map((l) => ({ value: l, label: LEVEL_TEXT[l] }))
}

/** "2027-03" → "2027年3月". */
export function monthText(m) {
  const [y, mm] = String(m || '').split('-')
  return y && mm ? `${y}年${Number(mm)}月` : m || ''
}

/** Seconds → "mm:ss" (minutes may pass 59: "90:00"). */
export function clockText(seconds) {
  const s = Math.max(0, Math.floor(seconds))
  const pad = (n) => String(n).padStart(2, '0')
  return `${pad(Math.floor(s / 60))}:${pad(s % 60)}`
}
