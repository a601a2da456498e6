// Form helpers of the identity pages: the password rule (the server's, so the user hears it before
// submitting), el-form rules built from it, and server field errors shown next to their fields.
import { nextTick } from 'vue'

export const PASSWORD_MIN = 8
export const PASSWORD_MAX = 128
export const PASSWORD_HINT = '至少 8 个字符，可用中文、空格和符号；不要用常见密码'

/**
 * The server's password rule (lib/auth.h, same words): 8–128 characters counted as Unicode
 * characters, no composition rule, not the username, the ID number or its last six. The list of
 * common passwords is checked by the server only. '' when fine.
 */
export function passwordProblem(password, username = '', idNumber = '') {
  const pw = password || ''
  const n = [...pw].length
  if (n < PASSWORD_MIN) return `密码至少 ${PASSWORD_MIN} 个字符`
  if (n > PASSWORD_MAX) return `密码不能超过 ${PASSWORD_MAX} 个字符`
  if (pw.includes('\u0000')) return '密码含有无效字符'
  const same = (a, b) => !!b && a.toUpperCase() === String(b).toUpperCase()
  if (same(pw, username)) return '密码不能与用户名相同'
  if (idNumber && idNumber.length === 18 && (same(pw, idNumber) || same(pw, idNumber.slice(12)))) return '密码不能与身份证号或其后六位相同'
  return ''
}

/** The server's rule for 真实姓名 (lib/auth.h AUTH_REAL_NAME_RULE, same words). */
export const REAL_NAME_RULE = '真实姓名应为 2–30 个字，只能包含汉字、字母、间隔号“·”和空格'
const REAL_NAME_PATTERN = /^[\u3400-\u4dbf\u4e00-\u9fff\u{20000}-\u{2fa1f}A-Za-z \u00b7\u30fb\u2022]{2,30}$/u

/** '' when name (trimmed) is an acceptable 真实姓名, else REAL_NAME_RULE. */
export function realNameProblem(name) {
  return REAL_NAME_PATTERN.test((name || '').trim()) ? '' : REAL_NAME_RULE
}

/** el-form rules of 真实姓名 (required, then the server's rule). */
export function realNameRules() {
  return [
    { required: true, message: '请输入真实姓名', trigger: 'blur' },
    { validator: (rule, value, cb) => cb(value && realNameProblem(value) ? new Error(REAL_NAME_RULE) : undefined), trigger: 'blur' },
  ]
}

/** el-form rules of a new password; username() gives the account's username (to refuse it as password). */
export function newPasswordRules(username = () => '', requiredMessage = '请输入新密码') {
  return [
    { required: true, message: requiredMessage, trigger: 'blur' },
    {
      validator: (rule, value, cb) => {
        const problem = value ? passwordProblem(value, username()) : ''
        cb(problem ? new Error(problem) : undefined)
      },
      trigger: 'blur',
    },
  ]
}

/** el-form rules of the repeated password: must equal first(). */
export function repeatPasswordRules(first, requiredMessage = '请再次输入密码') {
  return [
    { required: true, message: requiredMessage, trigger: 'blur' },
    {
      validator: (rule, value, cb) => cb(value && value !== first() ? new Error('两次密码须一致') : undefined),
      trigger: ['blur', 'change'],
    },
  ]
}

/** Empties every server error of a form (a reactive { prop: message } bound to el-form-item :error). */
export async function clearFieldErrors(errors) {
  for (const key of Object.keys(errors)) errors[key] = ''
  await nextTick() // so the same message set again shows again
}

/**
 * Puts the 422 field errors of err next to their fields: errors is the reactive { prop: message }
 * object the form items bind; map renames server field names to form props where they differ.
 * Returns the messages that belong to no field of this form (to show in an alert), '' if none.
 */
export async function showFieldErrors(err, errors, map = {}) {
  await clearFieldErrors(errors)
  const rest = []
  for (const f of err?.fields || []) {
    const prop = map[f.field] || f.field
    if (prop && prop in errors) errors[prop] = errors[prop] ? `${errors[prop]}；${f.message}` : f.message
    else if (f.message) rest.push(f.message)
  }
  if (!(err?.fields || []).length) return err?.message || ''
  return rest.join('；')
}
