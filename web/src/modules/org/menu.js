// Menu entries of the org module: 我的账户 → 机构信息 for institutions (manual 第一部分 五(四)) and
// 下属机构 for level-2 orgs (注意事项 ④); the center's 机构管理 group: 机构信息管理, 信息变更审核.
import { OfficeBuilding, School, EditPen, List } from '@element-plus/icons-vue'

const CENTER = ['center_staff', 'center_director']

export default [
  { roles: ['org2', 'station'], group: '我的账户', label: '机构信息', path: '/app/org-info', icon: OfficeBuilding, order: 940 },
  { roles: ['org2'], group: '我的账户', label: '下属机构', path: '/app/sub-orgs', icon: School, order: 945 },
  { roles: CENTER, group: '机构管理', label: '机构信息管理', path: '/app/orgs', icon: List, order: 410 },
  { roles: CENTER, group: '机构管理', label: '信息变更审核', path: '/app/org-change-requests', icon: EditPen, order: 420 },
]
