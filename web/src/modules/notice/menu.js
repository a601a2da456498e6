// Menu entries of the notice module: 通知公告 — for the center (write, publish, see who read and answered)
// under 系统管理, for level-2 orgs and stations under 我的账户 as the manual places it (五(二)).
import { Bell } from '@element-plus/icons-vue'

export default [
  { roles: ['center_staff', 'center_director'], group: '系统管理', label: '通知公告', path: '/app/notices', icon: Bell, order: 810 },
  { roles: ['org2', 'station'], group: '我的账户', label: '通知公告', path: '/app/notices', icon: Bell, order: 920 },
]
