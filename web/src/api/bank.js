// Question bank API (backend module paper): 我的题库 (template, import with preview, list, statistics,
// edit, export), 组卷方案管理 (schemes) and the papers generated from them (Word export).
import http from './http.js'

/** Question types and knowledge kinds (API codes) with the manual's words. */
export const TYPE_TEXT = { single: '单选题', multi: '多选题', judge: '判断题' }
export const KIND_TEXT = { basic: '基础知识', related: '相关知识' }
export const TYPES = ['single', 'multi', 'judge']
export const KINDS = ['basic', 'related']

/** R28: the smallest paper per level — questions and minutes. */
export function schemeMinimum(level) {
  return Number(level) <= 2 ? { questions: 120, minutes: 90 } : { questions: 90, minutes: 60 }
}

export const TEMPLATE_URL = '/api/bank/template.xlsx'

function filterQuery(f = {}) {
  return {
    occupation_id: f.occupationId,
    level: f.level,
    type: f.type,
    kind: f.kind,
    q: f.q,
    org_id: f.orgId,
    near: f.near ? 1 : undefined,
  }
}

/** The template as a Blob (题库导入模板.xlsx). */
export function downloadTemplate() {
  return http.get(TEMPLATE_URL, { responseType: 'blob' })
}

/**
 * Import an xlsx (File/Blob) into the bank of occupationId × level. dryRun: the preview, nothing saved.
 * → { dry_run, rows, template_rows, valid, new, imported, duplicate_count, duplicates: [{ row, stem, existing,
 *     duplicate_of_row }], near_duplicate_count, near_duplicates: [{ row, id, similarity, question, existing }],
 *     bad_rows, error_count, errors: [{ row, field, rule, message }] }.
 * Without dryRun a file with bad rows is an ApiError 422 whose fields carry { row, field, message }.
 */
export function importBank(file, { occupationId, level, dryRun = false }) {
  return http.create('/api/bank/import', file, {
    query: { occupation_id: occupationId, level, dry_run: dryRun ? 1 : undefined },
    headers: { 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  })
}

/** filters { occupationId, level, type, kind, q, orgId, near } → { items, total, page, per_page }. */
export function listQuestions(filters = {}, { page = 1, perPage = 20 } = {}) {
  return http.get('/api/bank/questions', { query: { ...filterQuery(filters), page, per_page: perPage } })
}

/** The same questions as an xlsx Blob (the template's columns, so it imports again). */
export function exportQuestions(filters = {}) {
  return http.get('/api/bank/questions', { query: { ...filterQuery(filters), format: 'xlsx' }, responseType: 'blob' })
}

/** → { items: [{ occupation, level, level_text, single: { basic, related, total }, multi, judge, total }], totals }. */
export function bankStats(filters = {}) {
  return http.get('/api/bank/stats', { query: filterQuery(filters) })
}

export function getQuestion(id) {
  return http.get(`/api/bank/questions/${id}`)
}

/** { type, kind, stem, options, answer[, near_of: null] } → the question; 422 fields stem/type/options[i]/answer/kind. */
export function updateQuestion(id, body) {
  return http.put(`/api/bank/questions/${id}`, body)
}

export function deleteQuestion(id) {
  return http.delete(`/api/bank/questions/${id}`)
}

/** → { items: [scheme], total }; scheme { id, occupation, level, level_text, minutes, single, multi, judge, total, papers }. */
export function listSchemes({ page = 1, perPage = 20 } = {}) {
  return http.get('/api/schemes', { query: { page, per_page: perPage } })
}

/** { level, occupation_id, minutes, single: { basic, related }, multi, judge } → 201 the scheme (422 R28). */
export function createScheme(body) {
  return http.post('/api/schemes', body)
}

export function deleteScheme(id) {
  return http.delete(`/api/schemes/${id}`)
}

/** → { paper_id, paper_ids }; 422 with one field per shortfall ("单选题·基础知识 缺 12 道"). */
export function generatePaper(schemeId, sets = 1) {
  return http.post(`/api/schemes/${schemeId}/generate`, { sets })
}

export function listPapers({ schemeId, page = 1, perPage = 50 } = {}) {
  return http.get('/api/papers', { query: { scheme_id: schemeId, page, per_page: perPage } })
}

export function getPaper(id) {
  return http.get(`/api/papers/${id}`)
}

export function deletePaper(id) {
  return http.delete(`/api/papers/${id}`)
}

/** → { items: [{ id, no, type, type_text, kind, kind_text, stem, options, answer, question_id }], total }. */
export function paperQuestions(id) {
  return http.get(`/api/papers/${id}/questions`)
}

/** Replace one question by another of the same type and kind (questionId, or a random one). */
export function replaceQuestion(paperId, qid, questionId) {
  return http.post(`/api/papers/${paperId}/questions/${qid}/replace`, questionId ? { question_id: questionId } : {})
}

export function removePaperQuestion(paperId, qid) {
  return http.delete(`/api/papers/${paperId}/questions/${qid}`)
}

/** what: 'paper' | 'answers' → a .docx Blob. */
export function exportPaper(id, what = 'paper') {
  return http.get(`/api/papers/${id}/export`, { query: { what }, responseType: 'blob' })
}
