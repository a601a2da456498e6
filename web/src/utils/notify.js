// UI helpers that show an API error or a notice with Element Plus messages (http.js itself shows nothing).
import { ElMessage } from 'element-plus'
import 'element-plus/es/components/message/style/css'

/** Shows err.message (an ApiError or any Error) as an error toast; returns the error for chaining. */
export function showError(err, fallback = '操作失败，请稍后再试') {
  ElMessage.error({ message: err?.message || fallback, grouping: true })
  return err
}

export function showInfo(message) {
  ElMessage.info({ message, grouping: true })
}

export function showSuccess(message) {
  ElMessage.success({ message, grouping: true })
}
