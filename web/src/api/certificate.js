// Certificate API (backend module certificate, API.md "Certificates"; fcgi/api/certificate.json): 证书数据管理 with
// its totals, statistics and export, a certificate's detail and PDF, 我的证书, and the public 证书查询 / verification.
import http from './http.js'

/** Query keys of 证书数据管理 (R26) as the API names them. */
function query(f = {}) {
  return {
    name: f.name || undefined,
    id_number: f.idNumber || undefined,
    cert_no: f.certNo || undefined,
    occupation_id: f.occupationId || undefined,
    level: f.level || undefined,
    from: f.from || undefined,
    to: f.to || undefined,
    org_id: f.orgId || undefined,
    batch_id: f.batchId || undefined,
    category: f.category || undefined,
  }
}

/** 证书数据管理 → { items, total, page, per_page, totals_by_level: [{ level, level_text, count }], totals_text }. */
export function listCertificates(filters = {}, { page = 1, perPage = 20 } = {}) {
  return http.get('/api/certificates', { query: { ...query(filters), page, per_page: perPage } })
}

/** The same list as a file (format xlsx | csv) → Blob. */
export function exportCertificates(filters = {}, format = 'xlsx') {
  return http.get('/api/certificates', { query: { ...query(filters), format }, responseType: 'blob' })
}

/** Counts per year | level | occupation → { by, items: [{ key, label, count }] }. */
export function certificateStats(by = 'year') {
  return http.get('/api/certificates/stats', { query: { by } })
}

/** One certificate with its QR payload (verify_url). */
export function getCertificate(id) {
  return http.get(`/api/certificates/${id}`)
}

/** The address of a certificate's PDF. */
export function certificatePdfUrl(id) {
  return `/api/certificates/${id}/certificate.pdf`
}

/** 我的证书 (candidate) → { items }. */
export function myCertificates() {
  return http.get('/api/certificates/mine')
}

/** Public 证书查询: { name, certNo } or { name, idNumber, category } → { items }. */
export function publicCertificates({ name, certNo, idNumber, category } = {}) {
  return http.get('/api/public/certificates', {
    query: { name, cert_no: certNo || undefined, id_number: idNumber || undefined, category: category || undefined },
  })
}

/** Public query of assessors' and supervisors' certificates → { items }. */
export function publicExpertCertificates({ name, certNo, idNumber } = {}) {
  return http.get('/api/public/expert-certificates', {
    query: { name, cert_no: certNo || undefined, id_number: idNumber || undefined },
  })
}

/** Verifies a scanned QR payload (the URL or its query string) → { valid, signature_valid, registered, certificate, message }. */
export function verifyCertificate(data) {
  return http.get('/api/public/certificates/verify', { query: { data } })
}
