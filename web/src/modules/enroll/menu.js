// Menu entries of the enrollment module: 考试报名 and 我的报名 for candidates (the manual's flat 考生 menu).
import { EditPen, List } from '@element-plus/icons-vue'

export default [
  { roles: ['candidate'], label: '考试报名', path: '/app/enroll', icon: EditPen, order: 100 },
  { roles: ['candidate'], label: '我的报名', path: '/app/my-enrollments', icon: List, order: 110 },
]
