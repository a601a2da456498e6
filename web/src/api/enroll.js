// Enrollment API (backend module enroll, API.md "Registration"; fcgi/api/enroll.json): open batch items,
// the 申报条件 of a level, the form's preview and submission, 我的报名, the stamped form and the station's
// roster with its rejection.
import http from './http.js'

/**
 * Batch items open for enrollment now, filtered by org and region → { items: [{ id, batch, org, region, category,
 * category_text, level, level_text, occupation, direction, exam_date, dual_cert, opens_on, closes_on,
 * conditions: [{ code, text, needs_cert }] }], regions: [{ code, name }], orgs: [{ id, name, region_code }] }.
 */
export function openItems({ orgId, region } = {}) {
  return http.get('/api/open-items', { query: { org_id: orgId, region } })
}

/** Checks the form without saving → the normalised form plus `hint` (the condition it appears to meet). */
export function previewEnrollment(body) {
  return http.post('/api/enrollments/preview', body)
}

/** Submits the form (R13: once per candidate per item, immutable afterwards) → 201 { id, … }. */
export function createEnrollment(body) {
  return http.create('/api/enrollments', body)
}

/** The caller's enrollments (我的报名), newest first → { items: [...] }. */
export function myEnrollments() {
  return http.get('/api/enrollments/mine')
}

/** One enrollment in full (its owner, or the station / reviewers whose scope holds the batch). */
export function getEnrollment(id) {
  return http.get(`/api/enrollments/${id}`)
}

/** The address of the 个人申报表 PDF of an enrollment. */
export function enrollmentPdfUrl(id) {
  return `/api/enrollments/${id}/form.pdf`
}

/** Replaces the stamped 个人申报表 images: { file_ids: [...] } → the enrollment. */
export function setStampedForm(id, fileIds) {
  return http.post(`/api/enrollments/${id}/stamped-form`, { file_ids: fileIds })
}

/** The roster (花名册) of a batch item → { item, items: [...] }. */
export function getRoster(batchId, itemId) {
  return http.get(`/api/batches/${batchId}/items/${itemId}/roster`)
}

/** The address of the roster as XLSX. */
export function rosterXlsxUrl(batchId, itemId) {
  return `/api/batches/${batchId}/items/${itemId}/roster?format=xlsx`
}

/** R14: the batch's station rejects one enrollment with a reason → the enrollment. */
export function rejectEnrollment(id, reason) {
  return http.post(`/api/enrollments/${id}/actions/reject`, { reason })
}
