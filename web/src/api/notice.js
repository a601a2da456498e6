// 通知公告 API (backend module notice): the center's notices, the orgs' list / detail / 回执, the center's
// read-and-answered status and receipts export, and the public site (工作动态, 行业动态, 通知公告, 站内搜索).
import http from './http.js'

/** Audience codes → what the form shows. */
export const AUDIENCES = [
  { code: 'all', text: '全部机构' },
  { code: 'level2', text: '二级机构' },
  { code: 'stations', text: '鉴定站' },
  { code: 'selected', text: '指定机构' },
]

/** Landing-page sections of a public notice. */
export const SECTIONS = [
  { code: 'work', text: '工作动态' },
  { code: 'industry', text: '行业动态' },
  { code: 'notice', text: '通知公告' },
]

/** { q, status (center), unread } → { items: [{ id, title, publish_on, read, answered, receipt, … }], total, page, per_page }. */
export function listNotices({ q, status, unread } = {}, { page = 1, perPage = 20 } = {}) {
  return http.get('/api/notices', { query: { q, status, unread: unread ? 1 : undefined, page, per_page: perPage } })
}

/** One notice (an org's read marks it read): body (sanitised HTML), attachments, my_receipt, actions (center). */
export function getNotice(id) {
  return http.get(`/api/notices/${id}`)
}

/** A draft { title, body, audience, org_ids, section, is_public, publish_on, receipt, receipt_deadline, file_ids } → 201. */
export function createNotice(body) {
  return http.post('/api/notices', body)
}

export function updateNotice(id, body) {
  return http.put(`/api/notices/${id}`, body)
}

/** action: 'publish' | 'withdraw' → the notice; 409 when it already happened. */
export function noticeAction(id, action) {
  return http.post(`/api/notices/${id}/actions/${action}`, {})
}

/** The download address of a notice's attachment (404 outside the audience). */
export function attachmentUrl(id, fileId, publicSite = false) {
  return publicSite ? `/api/public/notices/${id}/attachments/${fileId}` : `/api/notices/${id}/attachments/${fileId}`
}

/** The caller org's 回执 (until the deadline) → the receipt as stored. */
export function putReceipt(id, body) {
  return http.put(`/api/notices/${id}/receipt`, body)
}

/** Center: { items: [{ org: { id, name }, read_at, answered_at }] }. */
export function noticeStatus(id) {
  return http.get(`/api/notices/${id}/status`)
}

/** Center: the receipts, one row per attendee, as a Blob. */
export function exportReceipts(id, format = 'xlsx') {
  return http.get(`/api/notices/${id}/receipts`, { query: { format }, responseType: 'blob' })
}

/** Public: { items: [{ id, title, publish_on, section }], total } of a section. */
export function publicNotices(section, { page = 1, perPage = 10 } = {}) {
  return http.get('/api/public/notices', { query: { section, page, per_page: perPage } })
}

export function publicNotice(id) {
  return http.get(`/api/public/notices/${id}`)
}

/** 站内搜索 over the public notices → { items: [{ id, title, publish_on, excerpt }], total }. */
export function searchSite(q, { page = 1, perPage = 20 } = {}) {
  return http.get('/api/public/search', { query: { q, page, per_page: perPage } })
}
