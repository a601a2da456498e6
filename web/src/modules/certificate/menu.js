// Menu entries of the certificate module: 考务管理 → 证书数据管理 for the center, level-2 orgs and stations (R26),
// and 我的证书 for candidates.
import { Medal, Tickets } from '@element-plus/icons-vue'

export default [
  {
    roles: ['center_staff', 'center_director', 'org2', 'station'],
    group: '考务管理',
    label: '证书数据管理',
    path: '/app/certificates',
    icon: Tickets,
    order: 160,
  },
  { roles: ['candidate'], label: '我的证书', path: '/app/my-certificates', icon: Medal, order: 120 },
]
