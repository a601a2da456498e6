// Health API: GET /api/health answers 200 when the workers and the database are up.
import http from './http.js'

export function health() {
  return http.get('/api/health')
}
