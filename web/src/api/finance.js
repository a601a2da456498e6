// Fees API (backend module finance, R24): prices per category × level, a batch's fee notice, the fee list,
// the station's invoice application and the center's marks; the carriers of 证书寄出. Amounts are fen (integers).
import http from './http.js'

/** → { items: [{ category, category_text, level, level_text, price_fen }] } */
export function feePrices() {
  return http.get('/api/fee-prices')
}

/** items: [{ category, level, price_fen }] (center) → the prices as now. */
export function saveFeePrices(items) {
  return http.put('/api/fee-prices', { items })
}

/** The center's view before sending → { batch, lines, passed, enrolled, default_amount_fen: { passed, enrolled }, fee }. */
export function batchFee(batchId) {
  return http.get(`/api/batches/${batchId}/fee`)
}

/** Create or edit the fee of a batch { amount_fen, basis, note } → the fee. */
export function saveBatchFee(batchId, body) {
  return http.put(`/api/batches/${batchId}/fee`, body)
}

/** → { items, total, page, per_page } */
export function listFees({ status, orgId, batchId, batch } = {}, { page = 1, perPage = 20 } = {}) {
  return http.get('/api/fees', { query: { status: status || undefined, org_id: orgId, batch_id: batchId, batch: batch || undefined, page, per_page: perPage } })
}

/** Every matching fee as a file (format 'xlsx' | 'csv') → Blob. */
export function exportFees({ status, batch } = {}, format = 'xlsx') {
  return http.get('/api/fees', { query: { status: status || undefined, batch: batch || undefined, format }, responseType: 'blob' })
}

export function getFee(id) {
  return http.get(`/api/fees/${id}`)
}

/** 去申请 (station): the invoice fields → the fee. */
export function applyInvoice(id, body) {
  return http.post(`/api/fees/${id}/invoice`, body)
}

/** send | invoiced { invoice_no } | paid { paid_on } (center) → the fee. */
export function feeAction(id, action, body = {}) {
  return http.post(`/api/fees/${id}/actions/${action}`, body)
}

/** → { items: [{ code, name, url_template }] } */
export function carriers() {
  return http.get('/api/shipping/carriers')
}
