// Menu entries of the bank module (manual 第一部分 四 题库管理): 我的题库 and 组卷方案管理 for institutions;
// the center sees every bank and keeps its own schemes (for 自评自测).
import { Collection, Tickets } from '@element-plus/icons-vue'

const ROLES = ['org2', 'station', 'center_staff', 'center_director']

export default [
  { roles: ROLES, group: '题库管理', label: '我的题库', path: '/app/bank', icon: Collection, order: 310 },
  { roles: ROLES, group: '题库管理', label: '组卷方案管理', path: '/app/schemes', icon: Tickets, order: 320 },
]
