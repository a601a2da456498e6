// Menu entry of the message module: 我的账户 → 站内信 for institutions and the center (manual 五(三));
// a top-level 站内信 in the flat menus of assessors, supervisors and candidates.
import { Message } from '@element-plus/icons-vue'

export default [
  { roles: ['center_staff', 'center_director', 'org2', 'station'], group: '我的账户', label: '站内信', path: '/app/messages', icon: Message, order: 930 },
  { roles: ['assessor', 'supervisor', 'candidate'], label: '站内信', path: '/app/messages', icon: Message, order: 900 },
]
