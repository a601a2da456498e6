// Menu entries of the identity pages: 首页 for everyone; 账号管理 and 登录历史 under 我的账户 for
// institutions and the center, 修改密码 and 登录历史 for assessors and supervisors, 账号管理 and
// 登录历史 for candidates (the manual's menus; the last entries of every menu).
import { HomeFilled, User, Lock, Clock } from '@element-plus/icons-vue'

const ORG_ROLES = ['center_staff', 'center_director', 'org2', 'station']
const EXPERT_ROLES = ['assessor', 'supervisor']

export default [
  { roles: [...ORG_ROLES, ...EXPERT_ROLES, 'candidate'], label: '首页', path: '/app', icon: HomeFilled, order: 0 },

  { roles: ORG_ROLES, group: '我的账户', label: '账号管理', path: '/app/account', icon: User, order: 950 },
  { roles: ORG_ROLES, group: '我的账户', label: '登录历史', path: '/app/logins', icon: Clock, order: 960 },

  { roles: EXPERT_ROLES, label: '修改密码', path: '/app/account', icon: Lock, order: 950 },
  { roles: EXPERT_ROLES, label: '登录历史', path: '/app/logins', icon: Clock, order: 960 },

  { roles: ['candidate'], label: '账号管理', path: '/app/account', icon: User, order: 950 },
  { roles: ['candidate'], label: '登录历史', path: '/app/logins', icon: Clock, order: 960 },
]
