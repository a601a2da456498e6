// Site messages API (backend module message): 站内信 with deep links (点击进入), unread counts.
import http from './http.js'

/** The caller's messages, newest first → { items: [{ id, text, link, created_at, read }], total, page, per_page }. */
export function listMessages({ unread = false } = {}, { page = 1, perPage = 20 } = {}) {
  return http.get('/api/messages', { query: { unread: unread ? 1 : undefined, page, per_page: perPage } })
}

/** → { count } */
export function unreadCount() {
  return http.get('/api/messages/unread-count')
}

/** Mark one message read → { count } (unread left). */
export function markRead(id) {
  return http.post(`/api/messages/${id}/read`, {})
}

/** Mark every message read → { count }. */
export function markAllRead() {
  return http.post('/api/messages/read-all', {})
}
