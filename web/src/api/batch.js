// Batches API (backend module batch, API.md "Batches"): 批次管理 / 批次审核. The whole life of a batch moves
// through one actions endpoint; who may do what in which status is the server's state table, and every
// batch carries the `actions` the caller may run now.
import http from './http.js'

/** Item fields of the application form (R4), in the order of the manual's table. */
export const ITEM_FIELDS = [
  'in_annual_plan',
  'dual_cert',
  'category',
  'exam_date',
  'level',
  'occupation_id',
  'direction_id',
  'count',
  'standard_equipped',
  'assessor_ids',
  'chief_assessor_id',
  'syllabus_file_id',
]

/** R5: the exam is at least 30 days after the day of submission; enrollment closes 20 days before it. */
export const LEAD_DAYS = 30
export const CLOSED_DAYS = 20

/**
 * The batches the caller sees (a station its own; a level-2 org its stations' submitted ones; the center all
 * submitted ones): filters { status: code or [codes], sort: '-updated_at' | 'updated_at' | '-created_at' |
 * 'created_at', q, todo (only those waiting for the caller) } →
 * { items: [{ id, name, code, org, status, status_text, phase, created_at, updated_at, item_count, waiting_for_me }], total, page, per_page }.
 */
export function listBatches({ status, sort, q, todo } = {}, { page = 1, perPage = 20 } = {}) {
  const statusParam = Array.isArray(status) ? status.join(',') : status
  return http.get('/api/batches', { query: { status: statusParam, sort, q, todo: todo ? 1 : undefined, page, per_page: perPage } })
}

/** Every status of the six phases { items: [{ code, phase, text, label }], transitions: [...] } (R25). */
export function batchStatuses() {
  return http.get('/api/batches/statuses')
}

/**
 * One batch: { id, name, code, org, status, status_text, phase, registration_closes_on, actions: [codes],
 * items: [{ id, category, category_text, in_annual_plan, dual_cert, exam_date, registration_closes_on, level,
 * level_text, occupation, direction, count, enrolled, standard_equipped, chief_assessor, assessors,
 * chief_supervisor, supervisors, syllabus_file }], trail: [{ at, actor, action, comment, text, item_id }] }.
 */
export function getBatch(id) {
  return http.get(`/api/batches/${id}`)
}

/** A new draft { items: [...] } → 201 the batch; 422 with fields like items[1].count (rule R8). */
export function createBatch(body) {
  return http.create('/api/batches', body)
}

/** Replace the items of a draft or rejected batch → the batch. */
export function updateBatch(id, body) {
  return http.put(`/api/batches/${id}`, body)
}

/**
 * Run an action of the state table: 'submit' | 'approve' | 'reject' (needs a comment) | … → the batch.
 * 409 when the status does not allow it (or it already happened), 403 for a role that never may.
 */
export function batchAction(id, action, body = {}) {
  return http.post(`/api/batches/${id}/actions/${action}`, body)
}

/** 调配: { chief_assessor_id, assessor_ids } (eligible assessors only, R9) → the batch. */
export function reassignAssessors(id, itemId, body) {
  return http.put(`/api/batches/${id}/items/${itemId}/assessors`, body)
}

/** 安排督导组长 / 安排督导 (center): { chief_supervisor_id, supervisor_ids } → the batch. */
export function assignSupervisors(id, itemId, body) {
  return http.put(`/api/batches/${id}/items/${itemId}/supervisors`, body)
}

/** Delete a draft of the caller's station (204); 409 for any other status. */
export function deleteBatch(id) {
  return http.delete(`/api/batches/${id}`)
}

/**
 * 查看试卷 of one item: { item_id, item, enrolled, sets_required (R15), min_questions (R16), editable,
 * theory: [paper], practical: [paper], missing: ['缺理论知识试卷 1 套', …] }; paper { id, part, part_text,
 * set_no, title, question_count, file: { id, name } | null, created_at }.
 */
export function batchPapers(id, itemId) {
  return http.get(`/api/batches/${id}/items/${itemId}/papers`)
}

const PART_TYPES = {
  theory: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  practical: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
}

/**
 * Upload a paper (station, while 报名中): part 'theory' (xlsx by the bank template; 422 lists every bad row) or
 * 'practical' (docx); setNo 1–3 replaces that set, undefined takes the first missing → { id, part, set_no, question_count }.
 */
export function uploadBatchPaper(id, itemId, part, file, setNo) {
  return http.post(`/api/batches/${id}/items/${itemId}/papers/${part}`, file, {
    query: { set_no: setNo || undefined },
    headers: { 'Content-Type': PART_TYPES[part], 'X-File-Name': encodeURIComponent(file.name || `${part}.docx`) },
  })
}

/** Delete one set of an item (station, while 报名中). */
export function deleteBatchPaper(id, itemId, paperId) {
  return http.delete(`/api/batches/${id}/items/${itemId}/papers/${paperId}`)
}
