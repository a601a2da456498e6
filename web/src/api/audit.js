// Audit API (backend lib/audit): the center's 操作日志 viewer.
import http from './http.js'

/** Words for the action codes the modules write (unknown codes are shown as they are). */
export const ACTION_TEXT = {
  'org.create': '新增机构',
  'org.update': '修改机构信息',
  'org.freeze': '冻结机构',
  'org.unfreeze': '解冻机构',
  'org.change_request.create': '申请变更机构信息',
  'org.change_request.approve': '通过机构信息变更',
  'org.change_request.reject': '驳回机构信息变更',
  'auth.password_change': '修改密码',
  'auth.password_reset': '重设密码',
}

/** Words for the object types. */
export const OBJECT_TEXT = {
  org: '机构',
  org_change_request: '机构信息变更申请',
  account: '账号',
  expert: '考评人员',
}

/**
 * Audit rows, newest first: filters { actor, action, objectType, objectId, from, to } →
 * { items: [{ id, at, actor: { id, name }, role, action, object_type, object_id, detail, ip }], total, … }.
 */
export function listAudit(filters = {}, { page = 1, perPage = 20 } = {}) {
  return http.get('/api/audit', {
    query: {
      actor: filters.actor,
      action: filters.action,
      object_type: filters.objectType,
      object_id: filters.objectId,
      from: filters.from,
      to: filters.to,
      page,
      per_page: perPage,
    },
  })
}
