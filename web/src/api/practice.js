// 考试服务 API (backend modules intention and selftest; fcgi/api/practice.json): 报名意向表 for candidates,
// the center's summary (export, forward to a region's stations), and 自评自测.
import http from './http.js'

/** States an intention { occupation_id, level, region, expected_month: 'YYYY-MM' } → 201 the intention
 * (`replaced`: one for the same occupation and level existed and was replaced). */
export function saveIntention(body) {
  return http.post('/api/intentions', body)
}

/** The caller's intentions → { items: [{ id, occupation, level, level_text, region, expected_month }] }. */
export function myIntentions() {
  return http.get('/api/intentions/mine')
}

/** Withdraws one of the caller's intentions (204). */
export function deleteIntention(id) {
  return http.delete(`/api/intentions/${id}`)
}

/** The center's counts per region × occupation × level → { items, regions, total }. */
export function intentionSummary({ year, region } = {}) {
  return http.get('/api/intentions/summary', { query: { year, region } })
}

/** The summary as an XLSX Blob (with 小计 per region and 合计). */
export function intentionSummaryXlsx({ year, region } = {}) {
  return http.get('/api/intentions/summary', { query: { year, region, format: 'xlsx' }, responseType: 'blob' })
}

/** Sends a region's intentions to its stations by 站内信 → { region, intentions, stations, station_names, text }. */
export function forwardIntentions(region, year) {
  return http.post('/api/intentions/forward', { region, year: year || undefined })
}

/** Pairs the candidate can practise → { items: [{ occupation, level, level_text, minutes, question_count, max_points }] }. */
export function selfTestOptions() {
  return http.get('/api/self-tests/options')
}

/** Starts a self-test → 201 { id, deadline, remaining_seconds, questions: [{ no, type, stem, options, points }] }. */
export function startSelfTest(occupationId, level) {
  return http.post('/api/self-tests', { occupation_id: occupationId, level })
}

/** One of the caller's self-tests (answers only once handed in). */
export function getSelfTest(id) {
  return http.get(`/api/self-tests/${id}`)
}

/** Hands in { "1": "A", "2": "A,C", "3": "对" } → the scored self-test with answers. */
export function submitSelfTest(id, answers) {
  return http.post(`/api/self-tests/${id}/submit`, { answers })
}

/** The caller's self-tests, newest first → { items }. */
export function mySelfTests() {
  return http.get('/api/self-tests/mine')
}
