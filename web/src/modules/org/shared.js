// Helpers shared by the org pages: display of values, the changes of a request, status tag types.
import { ElMessageBox } from 'element-plus'
import 'element-plus/es/components/message-box/style/css'
import { FIELD_LABELS, freezeOrg, unfreezeOrg } from '../../api/org.js'
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

export { saveBlob } from '../../utils/download.js'
