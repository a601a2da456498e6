// Menu entries of the batch module: 考务管理 → 批次管理 for stations and level-2 orgs (a level-2 org reviews
// its stations' batches there), 批次审核 for the center.
import { Files } from '@element-plus/icons-vue'

export default [
  { roles: ['org2', 'station'], group: '考务管理', label: '批次管理', path: '/app/batches', icon: Files, order: 120 },
  { roles: ['center_staff', 'center_director'], group: '考务管理', label: '批次审核', path: '/app/batches', icon: Files, order: 120 },
]
