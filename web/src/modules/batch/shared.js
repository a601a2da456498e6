// Helpers shared by the batch pages: dates of R5, status colours, labels of the manual's columns.
import { LEAD_DAYS, CLOSED_DAYS } from '../../api/batch.js'
import { todayBeijing, calendarDay } from '../../utils/format.js'

/** A local Date (a calendar day) as 'YYYY-MM-DD'. */
export function ymd(d) {
  return calendarDay(d)
}

/** 'YYYY-MM-DD' plus n days (calendar arithmetic, no time zone drift). */
export function addDays(day, n) {
  const [y, m, d] = day.split('-').map(Number)
  return ymd(new Date(y, m - 1, d + n))
}

/** Today in Beijing as 'YYYY-MM-DD' (the server judges R5 by its own clock). */
export function todayYmd() {
  return todayBeijing()
}

/** R5: the first exam date that may be applied for today. */
export function earliestExamDate(today = todayYmd()) {
  return addDays(today, LEAD_DAYS)
}

/** R5: the last day candidates can enroll for an exam on `examDate` (manual ④: 7月1日 → 6月10日). */
export function registrationClosesOn(examDate) {
  return examDate ? addDays(examDate, -(CLOSED_DAYS + 1)) : ''
}

/** Element Plus tag type per status (waiting: warning, rejected: danger, finished: success). */
export function statusTag(status) {
  if (!status) return 'info'
  if (status === 'draft') return 'info'
  if (status.endsWith('_rejected')) return 'danger'
  if (['registering', 'examining', 'certified', 'shipped', 'received'].includes(status)) return 'success'
  return 'warning'
}

/** 是 / 否 */
export const yesNo = (b) => (b ? '是' : '否')

/** Level words as the manual's tables show them. */
export const LEVEL_NAME = { 5: '初级', 4: '中级', 3: '高级', 2: '技师', 1: '高级技师' }

export const CATEGORY_TEXT = { national: '国家职业技能鉴定', industry: '行业能力水平评价' }

/** Names of a list of { id, name } joined like the manual (笔尖 胜利). */
export function names(list) {
  return (list || []).map((p) => p.name).join(' ')
}
