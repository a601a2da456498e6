// Menu entries of 考试服务 (manual 第三部分 四): 报名意向表 and 自评自测 for candidates (the flat 考生 menu);
// 报名意向汇总 for the center, under 考务管理.
import { Notebook, Reading, DataAnalysis } from '@element-plus/icons-vue'

const CENTER = ['center_staff', 'center_director']

export default [
  { roles: ['candidate'], label: '报名意向表', path: '/app/intentions', icon: Notebook, order: 120 },
  { roles: ['candidate'], label: '自评自测', path: '/app/self-tests', icon: Reading, order: 130 },
  { roles: CENTER, group: '考务管理', label: '报名意向汇总', path: '/app/intentions/summary', icon: DataAnalysis, order: 118 },
]
