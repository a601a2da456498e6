// Uploads API (backend module file, API.md "Uploads"): the file is the raw request body, its name in the
// X-File-Name header (percent-encoded UTF-8); the server recognises doc, docx, xls, xlsx, ppt, pptx, pdf, jpg and png by their
// content (images ≤ 1 MB, documents ≤ 20 MB) and answers { id, name, size, mime, kind, sha256 }.
import http from './http.js'

/** MIME types by extension, for files the browser gives no type (some systems do so for .doc). */
const MIME_BY_EXT = {
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  pdf: 'application/pdf',
  xls: 'application/vnd.ms-excel',
  ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
}

/** The extension of a file name, lower case ('' when none). */
export function extensionOf(name) {
  const m = /\.([^.]+)$/.exec(name || '')
  return m ? m[1].toLowerCase() : ''
}

/** Size caps the server applies, for a check before sending. */
export const MAX_IMAGE_BYTES = 1024 * 1024
export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024

/** The `accept` attribute and the extensions of Word documents (培训大纲, R10). */
export const WORD_ACCEPT = '.doc,.docx'
export const WORD_EXTENSIONS = ['doc', 'docx']

/** Attachments of 通知公告: any office document or PDF. */
export const OFFICE_ACCEPT = '.doc,.docx,.xls,.xlsx,.ppt,.pptx,.pdf'
export const OFFICE_EXTENSIONS = ['doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'pdf']

/**
 * Uploads one File → 201 { id, name, size, mime, kind, sha256 }. 422 (fields file / name, rules file_type,
 * mime, extension) when the content is not an accepted kind or does not match its name; 413 past the caps.
 */
export function uploadFile(file) {
  const type = file.type || MIME_BY_EXT[extensionOf(file.name)] || 'application/octet-stream'
  return http.post('/api/files', file, { headers: { 'Content-Type': type, 'X-File-Name': encodeURIComponent(file.name) } })
}

/** The download address of a file (the server answers 404 outside the caller's scope). */
export function fileUrl(id) {
  return `/api/files/${id}`
}
