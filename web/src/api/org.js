// Organisations API (backend module org): 机构信息, 机构管理, 信息变更 requests and their review, 冻结.
import http from './http.js'

/** Org kinds (API `kind`) and their words. */
export const KIND_TEXT = { center: '中心', level2: '二级机构', station: '鉴定站' }

/** 机构类别 (API `org_type`) per kind; the first is the server's default. */
export const ORG_TYPES = { level2: ['分中心', '管理站', '实训基地'], station: ['鉴定站', '评价机构'] }

/** The fields of the 机构信息 page and their labels (the manual's words). */
export const FIELD_LABELS = {
  name: '机构名称',
  code: '机构代码',
  org_type: '机构类别',
  builder: '承建单位',
  leader_name: '负责人姓名',
  contact_name: '联系人姓名',
  phone: '电话',
  email: '邮箱',
  postcode: '邮编',
  address: '地址',
  valid_until: '有效期至',
  region_code: '区域范围',
  parent_id: '上级主管机构',
}

/** The fields an org may ask to change (manual 机构信息 注意事项 ②), in the form's order. */
export const REQUEST_FIELDS = ['leader_name', 'phone', 'email', 'builder', 'postcode', 'address', 'contact_name']

/** Change request statuses (API `status`). */
export const REQUEST_STATUS_TEXT = { pending: '待审核', approved: '已通过', rejected: '已驳回' }

function listQuery(filters = {}) {
  return { q: filters.q, kind: filters.kind, parent_id: filters.parentId, frozen: filters.frozen }
}

/** The orgs the caller may see: filters { q, kind, parentId, frozen } → { items, total, page, per_page }. */
export function listOrgs(filters = {}, { page = 1, perPage = 20 } = {}) {
  return http.get('/api/orgs', { query: { ...listQuery(filters), page, per_page: perPage } })
}

/** The same list as a file (format 'xlsx' | 'csv') → Blob. */
export function exportOrgs(filters = {}, format = 'xlsx') {
  return http.get('/api/orgs', { query: { ...listQuery(filters), format }, responseType: 'blob' })
}

/** One org with every field, its scopes and region path. */
export function getOrg(id) {
  return http.get(`/api/orgs/${id}`)
}

/** Center: a new org (and its login account: name / code). → the org. */
export function createOrg(body) {
  return http.create('/api/orgs', body)
}

/** Center: change fields and scopes. → the org. */
export function updateOrg(id, body) {
  return http.put(`/api/orgs/${id}`, body)
}

/** The issuer (center for orgs under it, level-2 org for its stations): re-issue the org account's
 * initial password → { initial_password (random mode only, else null), rule, expires_at }. */
export function reissueOrgPassword(id) {
  return http.post(`/api/orgs/${id}/initial-password`, {})
}

/** Level-2 org (its stations) or center: freeze / unfreeze the org's accounts. → the org. */
export function freezeOrg(id) {
  return http.post(`/api/orgs/${id}/actions/freeze`, {})
}
export function unfreezeOrg(id) {
  return http.post(`/api/orgs/${id}/actions/unfreeze`, {})
}

/** The org itself: ask the center to change free-text fields ({ …fields, reason, leader_resume }). */
export function fileChangeRequest(orgId, body) {
  return http.post(`/api/orgs/${orgId}/change-requests`, body)
}

/** Change requests (center: all; an org: its own): filters { status, orgId }. */
export function listChangeRequests(filters = {}, { page = 1, perPage = 20 } = {}) {
  return http.get('/api/org-change-requests', {
    query: { status: filters.status, org_id: filters.orgId, page, per_page: perPage },
  })
}

export function getChangeRequest(id) {
  return http.get(`/api/org-change-requests/${id}`)
}

/** Center: action 'approve' | 'reject' with a comment (required to reject). */
export function decideChangeRequest(id, action, comment) {
  return http.post(`/api/org-change-requests/${id}/actions/${action}`, { comment })
}
