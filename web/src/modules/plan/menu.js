// Menu entries of the plan module: 考务管理 → 年度计划管理 for stations and level-2 orgs (a level-2 org
// reviews its stations' plans there too); 年度计划审核 and 计划汇总 for the center staff; the director, who
// sees the plans but may not approve them, gets 年度计划查看 (issue 15 item 8).
import { Calendar, DataAnalysis } from '@element-plus/icons-vue'

const CENTER = ['center_staff', 'center_director']

export default [
  { roles: ['org2', 'station'], group: '考务管理', label: '年度计划管理', path: '/app/plans', icon: Calendar, order: 110 },
  { roles: ['center_staff'], group: '考务管理', label: '年度计划审核', path: '/app/plans', icon: Calendar, order: 110 },
  { roles: ['center_director'], group: '考务管理', label: '年度计划查看', path: '/app/plans', icon: Calendar, order: 110 },
  { roles: CENTER, group: '考务管理', label: '计划汇总', path: '/app/plans/overview', icon: DataAnalysis, order: 115 },
]
