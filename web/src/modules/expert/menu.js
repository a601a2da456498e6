// Menu entries of the experts module: 专家管理 → 考评员/督导员管理 for institutions and the center
// (manual 第一部分 三(一)); 我的证书 in the flat menu of assessors and supervisors (第二部分 三).
import { Avatar, Medal } from '@element-plus/icons-vue'

export default [
  {
    roles: ['center_staff', 'center_director', 'org2', 'station'],
    group: '专家管理',
    label: '考评员/督导员管理',
    path: '/app/experts',
    icon: Avatar,
    order: 210,
  },
  { roles: ['assessor', 'supervisor'], label: '我的证书', path: '/app/my-certificates', icon: Medal, order: 300 },
]
