// Helpers shared by the org pages: display of values, the changes of a request, status tag types.
import { ElMessageBox } from 'element-plus'
import 'element-plus/es/components/message-box/style/css'
import { FIELD_LABELS, freezeOrg, reissueOrgPassword, unfreezeOrg } from '../../api/org.js'
import { showError, showSuccess } from '../../utils/notify.js'

/** A value as shown in a table; empty values read （空）. */
export function shown(value) {
  return value === null || value === undefined || value === '' ? '（空）' : String(value)
}

/** The rows of a change request: [{ field, label, old, new }] in the form's order. */
export function changeRows(request) {
  const changes = request?.changes || {}
  const previous = request?.previous || {}
  return Object.keys(changes).map((field) => ({
    field,
    label: FIELD_LABELS[field] || field,
    old: previous[field] ?? null,
    new: changes[field] ?? null,
  }))
}

/** Element Plus tag type of a change request status. */
export function requestTagType(status) {
  return { pending: 'warning', approved: 'success', rejected: 'danger' }[status] || 'info'
}

/** True for the center's roles. */
export function isCenterRole(role) {
  return role === 'center_staff' || role === 'center_director'
}

/**
 * Confirm, then freeze or unfreeze org (冻结 ends every session of its accounts and refuses their
 * logins). Resolves to the updated org, or null when the user cancelled or the call failed.
 */
export async function toggleFreeze(org) {
  const freezing = !org.frozen
  try {
    await ElMessageBox.confirm(
      freezing
        ? `冻结后「${org.name}」的账号将立即退出登录，且不能再登录，直至解冻。确定冻结吗？`
        : `解冻后「${org.name}」的账号可以重新登录。确定解冻吗？`,
      freezing ? '冻结机构账号' : '解冻机构账号',
      { type: 'warning', confirmButtonText: freezing ? '冻结' : '解冻', cancelButtonText: '取消' },
    )
  } catch {
    return null
  }
  try {
    const updated = await (freezing ? freezeOrg(org.id) : unfreezeOrg(org.id))
    showSuccess(freezing ? '已冻结' : '已解冻')
    return updated
  } catch (err) {
    showError(err)
    return null
  }
}

/**
 * Confirm, then re-issue the initial password of an account (issueFn(id) calls the API); a random
 * initial password is shown once. ruleText says what the rule-based password is. true when done.
 */
export async function reissueInitialPassword(name, issue, ruleText) {
  try {
    await ElMessageBox.confirm(
      `重新发放后「${name}」的现有密码、登录会话和重设链接立即失效，新的初始密码 14 天内有效，首次登录须修改。确定重新发放吗？`,
      '重新发放初始密码',
      { type: 'warning', confirmButtonText: '重新发放', cancelButtonText: '取消' },
    )
  } catch {
    return false
  }
  try {
    const res = await issue()
    if (res.initial_password) {
      await ElMessageBox.alert(`新的初始密码：${res.initial_password}（只显示这一次，请告知对方）`, '初始密码已重新发放', {
        confirmButtonText: '我已记下',
      })
    } else {
      showSuccess(`已重新发放：初始密码为${ruleText}，14 天内有效`)
    }
    return true
  } catch (err) {
    showError(err)
    return false
  }
}

/** Re-issue an org account's initial password (its issuer only). */
export function reissueOrg(org) {
  return reissueInitialPassword(org.name, () => reissueOrgPassword(org.id), '机构代码')
}

export { saveBlob } from '../../utils/download.js'
