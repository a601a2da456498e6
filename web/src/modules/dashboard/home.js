// The dashboard module's block for 首页: the center's overview (see CenterDashboard.vue); other roles see nothing.
import CenterDashboard from './CenterDashboard.vue'

export default { component: CenterDashboard, order: 5 }
