// Menu entry of 考试日历 (issue 11): the center and level-2 orgs see batches by exam date with their people.
import { Calendar } from '@element-plus/icons-vue'

export default [
  { roles: ['center_staff', 'center_director', 'org2'], group: '考务管理', label: '考试日历', path: '/app/calendar', icon: Calendar, order: 125 },
]
