// The message module's block for 首页 (manual: 登录账号后显示消息页面): the unread 站内信 with 点击进入.
// HomePage.vue (module auth) shows it; see HomeMessages.vue.
import HomeMessages from './HomeMessages.vue'

export default { component: HomeMessages, order: 10 }
