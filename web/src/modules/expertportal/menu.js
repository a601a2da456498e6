// Menu entry of the expert portal: 考评/督导报告 for assessors and supervisors (manual 第二部分 二).
import { Document } from '@element-plus/icons-vue'

export default [
  { roles: ['assessor', 'supervisor'], label: '考评/督导报告', path: '/app/expert-tasks', icon: Document, order: 20 },
]
