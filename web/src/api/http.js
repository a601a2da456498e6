// The one fetch wrapper every API call goes through: JSON in/out, same-origin cookie, CSRF header, error envelope → ApiError.

/** Error thrown for every failed API call; mirrors the server's error envelope (API.md). */
export class ApiError extends Error {
  constructor({ status, code, message, reason = null, fields = [], retryAfter = null }) {
    super(message)
    this.name = 'ApiError'
    this.status = status // HTTP status, 0 when the server could not be reached
    this.code = code // stable code string: validation, conflict, unauthorized, … or network/http
    this.reason = reason // a finer code beside it, e.g. password_change_required (403)
    this.fields = fields // [{ field | row, rule, message }] for 422 answers
    this.retryAfter = retryAfter // seconds from the Retry-After header (429), else null
  }
}

// Wired by main.js to the pinia session store, so this module does not import the store.
let csrfTokenProvider = () => ''
let unauthorizedHandler = null
let forbiddenHandler = null

/** Sets the function that returns the current CSRF token (sent on every non-GET request). */
export function setCsrfTokenProvider(fn) {
  csrfTokenProvider = fn
}

/** Sets the function called when any API call answers 401 (e.g. the session expired). */
export function setUnauthorizedHandler(fn) {
  unauthorizedHandler = fn
}

/** Sets the function called when any API call answers 403 (e.g. the initial password must be changed first). */
export function setForbiddenHandler(fn) {
  forbiddenHandler = fn
}

/** True for the 403 every API gives while the account still has to replace its initial password. */
export function isPasswordChangeRequired(err) {
  return err?.status === 403 && err.reason === 'password_change_required'
}

/** Retry-After as whole seconds (delta-seconds or an HTTP date); null when absent or unreadable. */
function parseRetryAfter(value) {
  if (!value) return null
  if (/^\s*\d+\s*$/.test(value)) return Number(value)
  const when = Date.parse(value)
  return Number.isNaN(when) ? null : Math.max(0, Math.ceil((when - Date.now()) / 1000))
}

// Messages for answers without a JSON envelope (proxy errors, an old server, …).
const STATUS_TEXT = {
  400: '请求有误',
  401: '未登录或登录已过期，请重新登录',
  403: '没有权限执行此操作',
  404: '请求的资源不存在',
  409: '当前状态不允许此操作',
  413: '提交的内容过大',
  422: '提交的内容未通过校验',
  429: '操作过于频繁，请稍后再试',
  500: '服务器内部错误，请稍后再试',
  502: '服务暂时不可用，请稍后再试',
  503: '服务暂时不可用，请稍后再试',
  504: '服务器响应超时，请稍后再试',
}

function buildUrl(path, query) {
  if (!query) return path
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue
    params.append(key, Array.isArray(value) ? value.join(',') : String(value))
  }
  const qs = params.toString()
  return qs ? `${path}${path.includes('?') ? '&' : '?'}${qs}` : path
}

function isRawBody(body) {
  return body instanceof Blob || body instanceof ArrayBuffer || ArrayBuffer.isView(body)
}

async function errorFromResponse(res) {
  let envelope = null
  if ((res.headers.get('Content-Type') || '').includes('application/json')) {
    try {
      envelope = (await res.json())?.error
    } catch {
      envelope = null
    }
  }
  return new ApiError({
    status: res.status,
    code: envelope?.code || 'http',
    reason: envelope?.reason || null,
    message: envelope?.message || STATUS_TEXT[res.status] || `服务器返回错误（HTTP ${res.status}）`,
    fields: Array.isArray(envelope?.fields) ? envelope.fields : [],
    retryAfter: parseRetryAfter(res.headers.get('Retry-After')),
  })
}

/**
 * Sends one API request and returns the parsed JSON answer (null for 204).
 * options: query (object → query string), body (object → JSON; Blob/ArrayBuffer sent raw),
 * headers, responseType ('json' | 'blob'), signal.
 */
export async function request(method, path, options = {}) {
  const { query, body, headers = {}, responseType = 'json', signal } = options
  const upper = method.toUpperCase()
  const init = {
    method: upper,
    credentials: 'same-origin',
    headers: { Accept: 'application/json', ...headers },
    signal,
  }
  if (upper !== 'GET' && upper !== 'HEAD') {
    const token = csrfTokenProvider()
    if (token) init.headers['X-CSRF-Token'] = token
  }
  if (body !== undefined) {
    if (isRawBody(body)) {
      init.body = body
      if (!init.headers['Content-Type'] && body.type) init.headers['Content-Type'] = body.type
    } else {
      init.body = JSON.stringify(body)
      init.headers['Content-Type'] = 'application/json; charset=utf-8'
    }
  }

  let res
  try {
    res = await fetch(buildUrl(path, query), init)
  } catch (cause) {
    if (cause?.name === 'AbortError') throw cause
    throw new ApiError({ status: 0, code: 'network', message: '无法连接服务器，请检查网络后重试' })
  }

  if (!res.ok) {
    const err = await errorFromResponse(res)
    if (res.status === 401 && unauthorizedHandler) unauthorizedHandler(err, path)
    if (res.status === 403 && forbiddenHandler) forbiddenHandler(err, path)
    throw err
  }
  if (res.status === 204) return null
  if (responseType === 'blob') return res.blob()
  const text = await res.text()
  if (!text) return null
  try {
    return JSON.parse(text)
  } catch {
    throw new ApiError({ status: res.status, code: 'bad_response', message: '服务器返回的数据格式有误' })
  }
}

/** A fresh Idempotency-Key: 32 random hex digits. */
function newIdempotencyKey() {
  const bytes = new Uint8Array(16)
  crypto.getRandomValues(bytes)
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

/**
 * A creating POST (one form submission): one Idempotency-Key for it, and one retry with the same
 * key when the answer was lost (network error, 502/503/504), so the server creates at most once.
 */
async function create(path, body, options = {}) {
  const headers = { ...(options.headers || {}), 'Idempotency-Key': newIdempotencyKey() }
  try {
    return await request('POST', path, { ...options, headers, body })
  } catch (err) {
    if (!(err instanceof ApiError) || ![0, 502, 503, 504].includes(err.status)) throw err
    await new Promise((resolve) => setTimeout(resolve, 800))
    return request('POST', path, { ...options, headers, body })
  }
}

export const http = {
  get: (path, options) => request('GET', path, options),
  post: (path, body, options = {}) => request('POST', path, { ...options, body }),
  create,
  put: (path, body, options = {}) => request('PUT', path, { ...options, body }),
  patch: (path, body, options = {}) => request('PATCH', path, { ...options, body }),
  delete: (path, options) => request('DELETE', path, options),
}

export default http
