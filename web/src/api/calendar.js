// 考试日历 API (backend lib/batch_calendar.c, issue 11): batches by exam date with their people.
import http from './http.js'

/**
 * The items of the caller's batches (drafts excepted) with an exam in [from, to] ("YYYY-MM-DD"; at most a
 * year), filtered by orgId (a level-2 org covers its stations) and occupationId (a direction counts) →
 * { from, to, total, items: [{ id, exam_date, batch: { id, name }, org, status, status_text, category_text,
 * level_text, occupation, direction, count, chief_assessor, assessors, chief_supervisor, supervisors }] }.
 */
export function examCalendar({ from, to, orgId, occupationId } = {}) {
  return http.get('/api/calendar', { query: { from, to, org_id: orgId, occupation_id: occupationId } })
}
