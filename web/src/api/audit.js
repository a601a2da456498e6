// Audit API (backend lib/audit): the center's 操作日志 viewer.
import http from './http.js'

/** The words of every action code and object type: { actions: [{ code, text }], objects: [...] }. */
export function auditWords() {
  return http.get('/api/audit/words')
}

/**
 * Audit rows, newest first: filters { actor, action, objectType, objectId, from, to } →
 * { items: [{ id, at, actor: { id, name }, role, action, action_text, object_type, object_text,
 *   object_name, object_id, detail, ip }], total, … }.
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
