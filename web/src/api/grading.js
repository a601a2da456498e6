// Phase 4 API (backend modules grading and report; fcgi/api/grading.json): scores (R19), the three reports
// and their confirmations (R20), 督促, the check before 提交成绩 (R21) and the expert's task list.
import http from './http.js'

const item = (batchId, itemId) => `/api/batches/${batchId}/items/${itemId}`

/** The roster with 准考证号, scores, grades and the change trail → { batch, item, roles, items, changes, editable }. */
export function getScores(batchId, itemId) {
  return http.get(`${item(batchId, itemId)}/scores`)
}

/** Enters or changes scores: rows [{ enrollment_id, theory_score, practical_score, absent, reason }]. */
export function saveScores(batchId, itemId, scores) {
  return http.put(`${item(batchId, itemId)}/scores`, { scores })
}

/** The three reports, members' confirmations, what is pending and what the caller may do (`can`). */
export function getReports(batchId, itemId) {
  return http.get(`${item(batchId, itemId)}/reports`)
}

/** Files a report; kind is appraisal | assessment | supervision. */
export function fileReport(batchId, itemId, kind, body) {
  return http.put(`${item(batchId, itemId)}/${kind}-report`, body)
}

/** 提交并确认 of the assessment or supervision report, with an optional comment. */
export function confirmReport(batchId, itemId, kind, comment) {
  return http.post(`${item(batchId, itemId)}/${kind}-report/confirm`, { comment })
}

/** 督促: a message to everyone whose report or confirmation is pending → { reminded: [names] }. */
export function remind(batchId, itemId) {
  return http.post(`${item(batchId, itemId)}/reports/remind`, {})
}

/** What still keeps 提交成绩 back, per item → { ready, items: [{ item_id, occupation, level_text, pending }] }. */
export function scoreCheck(batchId) {
  return http.get(`/api/batches/${batchId}/score-check`)
}

/** The items the calling assessor or supervisor serves → { items }. */
export function expertTasks() {
  return http.get('/api/expert/tasks')
}
