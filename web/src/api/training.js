// 考评管理人员培训 API (backend module training): apply, review (level-2 org, then the center), the
// center's schedule and export; and the center's home counts (GET /api/dashboard).
import http from './http.js'

export const TRAINING_CATEGORIES = [
  { code: 'assessor', text: '考评员' },
  { code: 'senior_assessor', text: '高级考评员' },
  { code: 'manager', text: '管理人员' },
]

export const TRAINING_STATUSES = [
  { code: 'level2_review', text: '等待二级机构审核' },
  { code: 'center_review', text: '等待中心工作人员审核' },
  { code: 'approved', text: '审核通过' },
  { code: 'rejected', text: '被拒绝' },
  { code: 'scheduled', text: '已安排培训' },
]

/** { status (a code or 'pending'), orgId } → { items, total, page, per_page }. */
export function listTrainings({ status, orgId } = {}, { page = 1, perPage = 20 } = {}) {
  return http.get('/api/trainings', { query: { status, org_id: orgId, page, per_page: perPage } })
}

export function getTraining(id) {
  return http.get(`/api/trainings/${id}`)
}

/** Apply and submit { kind, train_time, occupation_ids, category, place, headcount, source, refresh_percent, other } → 201. */
export function createTraining(body) {
  return http.post('/api/trainings', body)
}

/** action: submit | approve | reject ({ comment }) | schedule ({ date, place }) → the application. */
export function trainingAction(id, action, body = {}) {
  return http.post(`/api/trainings/${id}/actions/${action}`, body)
}

/** The applications the filter matches as a Blob. */
export function exportTrainings({ status } = {}, format = 'xlsx') {
  return http.get('/api/trainings', { query: { status, format }, responseType: 'blob' })
}

/** Center home: { batches, pending, certificates, pass_rates } with links. */
export function centerDashboard() {
  return http.get('/api/dashboard')
}
