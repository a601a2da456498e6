// Menu entries of the training module: 考评管理人员培训 (manual 第一部分 三(二)) — a station applies, its level-2
// org reviews it, the center reviews, schedules and exports the applications.
import { Reading } from '@element-plus/icons-vue'

export default [
  { roles: ['org2', 'station'], group: '专家管理', label: '考评管理人员培训', path: '/app/trainings', icon: Reading, order: 220 },
  { roles: ['center_staff', 'center_director'], group: '专家管理', label: '考评管理人员培训', path: '/app/trainings', icon: Reading, order: 220 },
]
