// Menu entry of the audit module: 系统管理 → 操作日志 for the center.
import { Document } from '@element-plus/icons-vue'

export default [
  { roles: ['center_staff', 'center_director'], group: '系统管理', label: '操作日志', path: '/app/audit', icon: Document, order: 810 },
]
