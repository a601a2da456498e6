// Experts API (backend module expert): 考评员/督导员管理, their certificates, 我的证书 and the R9 picker.
import http from './http.js'

/** Certificate types (API `type`) and their words; the 级别 of 我的证书. */
export const CERT_TYPE_TEXT = { assessor: '考评员', senior_assessor: '高级考评员', supervisor: '督导员' }

/** Expert roles (API `role`). */
export const EXPERT_ROLE_TEXT = { assessor: '考评员', supervisor: '督导员' }

/** Certificate categories (API `category`), as the platform names them. */
export const CERT_CATEGORY_TEXT = { national: '国家职业技能鉴定', industry: '行业能力水平评价' }

function filterQuery(filters = {}) {
  return {
    q: filters.q,
    cert_no: filters.certNo,
    type: filters.type,
    role: filters.role,
    category: filters.category,
    org_id: filters.orgId,
    occupation_id: filters.occupationId,
    busy_on: filters.busyOn,
    batch_id: filters.batchId,
  }
}

/**
 * The experts the caller may see (a station its own, a level-2 org its stations', the center all):
 * filters { q, certNo, type, role, category, orgId, occupationId, busyOn, batchId } →
 * { items: [{ id, name, id_number, role, org_id, org, certificates: [...] }], total, page, per_page };
 * with busyOn ("YYYY-MM-DD") each item has busy: { batch_name, role_text, ... } when it already serves a
 * batch other than batchId on that day (never a double booking), else null.
 */
export function listExperts(filters = {}, { page = 1, perPage = 20 } = {}) {
  return http.get('/api/experts', { query: { ...filterQuery(filters), page, per_page: perPage } })
}

/**
 * 统计: the experts matching filters counted → { total, by_type: [{ code, text, count }] (考评员, 高级考评员,
 * 督导员), by_category: [...] (国家职业技能鉴定, 行业能力水平评价) }.
 */
export function countExperts(filters = {}) {
  return http.get('/api/experts/counts', { query: filterQuery(filters) })
}

/** The same list as a file (format 'xlsx' | 'csv') → Blob. */
export function exportExperts(filters = {}, format = 'xlsx') {
  return http.get('/api/experts', { query: { ...filterQuery(filters), format }, responseType: 'blob' })
}

/** One expert with certificates (and, for the center, its login account). */
export function getExpert(id) {
  return http.get(`/api/experts/${id}`)
}

/**
 * Center: new expert { name, id_number, role, org_id, phone, email, certificates: [{ category, cert_no,
 * type, occupation_ids, issued_on, valid_until }] } → 201 the expert. Its login is the ID number with the
 * last six characters as first password. 422 fields e.g. id_number (R29), certificates[1].valid_until.
 */
export function createExpert(body) {
  return http.create('/api/experts', body)
}

/** Center: { name, id_number, org_id, phone, email } → the expert. */
export function updateExpert(id, body) {
  return http.put(`/api/experts/${id}`, body)
}

/** Center: add a certificate → the expert (201). */
/** Center: re-issue an expert's initial password → { initial_password (random mode only), rule, expires_at }. */
export function reissueExpertPassword(id) {
  return http.post(`/api/experts/${id}/initial-password`, {})
}

export function addCertificate(expertId, cert) {
  return http.post(`/api/experts/${expertId}/certificates`, cert)
}

/** Center: replace a certificate's fields → the expert. */
export function updateCertificate(expertId, certId, cert) {
  return http.put(`/api/experts/${expertId}/certificates/${certId}`, cert)
}

/** Center: remove a certificate (not the last one: 409) → the expert. */
export function removeCertificate(expertId, certId) {
  return http.delete(`/api/experts/${expertId}/certificates/${certId}`)
}

/** 我的证书: the calling assessor's or supervisor's certificates → { items, total }. */
export function myCertificates() {
  return http.get('/api/expert/certificates')
}

/**
 * R9: the assessors of orgId whose certificate covers occupationId (a direction's parent counts) and is
 * valid on examDate → { items: [{ id, name, id_number, type, type_text, certificates, busy }] }; busy is
 * { batch_name, role_text, ... } when the assessor already serves another batch than batchId that day.
 * Stations may leave orgId out (their own org).
 */
export function eligibleAssessors({ orgId, occupationId, examDate, batchId }) {
  return http.get('/api/experts/eligible', { query: { org_id: orgId, occupation_id: occupationId, exam_date: examDate, batch_id: batchId } })
}

/** The words of a picker option for a busy expert (null when free). */
export function busyNote(p) {
  return p?.busy ? `已安排：${p.busy.batch_name}（${p.busy.role_text}）` : null
}
