// Annual plans API (backend module plan, API.md "Annual plans"): 年度计划管理, 年度计划审核, 计划汇总.
import http from './http.js'

/** Status codes (API `status`) in workflow order; the server's `status_text` is what a row shows. */
export const PLAN_STATUSES = [
  { code: 'draft', text: '草稿' },
  { code: 'level2_review', text: '等待二级机构审核' },
  { code: 'center_review', text: '等待中心工作人员审核' },
  { code: 'approved', text: '审核通过' },
  { code: 'rejected', text: '被拒绝' },
]

/** The item fields of R1, in the manual's column order (for forms and field errors). */
export const ITEM_FIELDS = [
  'category',
  'level',
  'occupation_id',
  'count',
  'train_theory_date',
  'train_practical_date',
  'exam_theory_date',
  'exam_practical_date',
  'standard_equipped',
]

/**
 * The plans the caller sees (its own; a level-2 org also its stations' submitted ones; the center all
 * submitted ones): filters { status (a code, or 'pending' = waiting for the caller's review), orgId, year,
 * q (part of the code or of the org's name) } →
 * { items: [{ id, code, year, org: { id, name, code }, status, status_text, item_count, total_count,
 *   created_at, submitted_at, updated_at }], total, page, per_page }.
 */
export function listPlans({ status, orgId, year, q } = {}, { page = 1, perPage = 20 } = {}) {
  return http.get('/api/plans', { query: { status, org_id: orgId, year, q, page, per_page: perPage } })
}

/** One plan with items, trail ([{ at, actor, action, action_text, comment }]) and `actions` the caller may take now. */
export function getPlan(id) {
  return http.get(`/api/plans/${id}`)
}

/** A new draft { year?, items: [...] } → 201 the plan; 422 fields like items[1].count (R1), items[0].level (R6). */
export function createPlan(body) {
  return http.create('/api/plans', body)
}

/** Replace the items of a draft or rejected plan → the plan. */
export function updatePlan(id, body) {
  return http.put(`/api/plans/${id}`, body)
}

/** action: 'submit' | 'approve' | 'reject' (reject needs a comment) → the plan; 409 when the status moved on. */
export function planAction(id, action, comment) {
  return http.post(`/api/plans/${id}/actions/${action}`, comment ? { comment } : {})
}

/** R3: the items of the chosen plans as a file (format 'csv' | 'xlsx') → Blob. */
export function exportPlans(ids, format = 'xlsx') {
  return http.get('/api/plans/export', { query: { ids: ids.join(','), format }, responseType: 'blob' })
}

/** Center: { year, years, plans, total, items: [{ occupation: { id, name }, level, level_text, national, industry, count }] }. */
export function planOverview(year) {
  return http.get('/api/plans/overview', { query: { year } })
}
