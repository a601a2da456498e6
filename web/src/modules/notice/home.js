// The notice module's block for 首页: an org's unread 通知公告 with 查看详情 (see HomeNotices.vue).
import HomeNotices from './HomeNotices.vue'

export default { component: HomeNotices, order: 20 }
