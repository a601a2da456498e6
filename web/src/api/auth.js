// Auth API (backend module auth): login, logout, current session.
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
