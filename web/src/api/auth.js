// Auth API (backend module auth): login, logout, current session, passwords, login history,
// candidate registration, password reset and the caller's own account (账号管理).
import http from './http.js'

/** kind: 'org' | 'assessor' | 'supervisor' | 'candidate' → { user, csrf_token } */
export function login(kind, username, password) {
  return http.post('/api/auth/login', { kind, username, password })
}

export function logout() {
  return http.post('/api/auth/logout', {})
}

/** Current session → { user, csrf_token }; 401 when nobody is logged in. */
export function me() {
  return http.get('/api/auth/me')
}

/** Changes the caller's password; 422 with fields old_password / new_password. Other sessions end. */
export function changePassword(oldPassword, newPassword) {
  return http.post('/api/auth/password', { old_password: oldPassword, new_password: newPassword })
}

/** The caller's login history, newest first → { items: [{ at, ip, ok, username }], total, page, per_page }. */
export function logins({ page = 1, perPage = 20 } = {}) {
  return http.get('/api/auth/logins', { query: { page, per_page: perPage } })
}

/** 考生注册: { username, password, id_number, real_name, email, phone } → 201 { id, username }; 422 with fields. */
export function registerCandidate(form) {
  return http.post('/api/candidates/register', form)
}

/** 找回密码: always answers 200 { message } (the same whether the account exists). */
export function forgotPassword(kind, username) {
  return http.post('/api/auth/forgot', { kind, username })
}

/** 重设密码 with the token of the mailed link; 422 field token (invalid/expired/used) or new_password. */
export function resetPassword(token, newPassword) {
  return http.post('/api/auth/reset', { token, new_password: newPassword })
}

/** 账号管理: { username, kind, role, name, email, phone, id_number, real_name } (the fields that apply). */
export function getAccount() {
  return http.get('/api/account')
}

/** Candidates only: { real_name?, email, phone } → the account; 422 with fields; 403 for other roles. */
export function updateAccount({ real_name, email, phone }) {
  return http.put('/api/account', real_name === undefined ? { email, phone } : { real_name, email, phone })
}
