// Routes of the plan module (年度计划管理, manual 第一部分 二(一)): the list (a station's own plans; a level-2
// org's and the center's review list with export), the create/edit form, the detail with 审批流程 and
// review, and the center's 计划汇总. Children of /app.
const ORG = ['org2', 'station']
const CENTER = ['center_staff', 'center_director']

export default [
  { path: 'plans', name: 'plan-list', component: () => import('./PlanList.vue'), meta: { title: '年度计划', roles: [...ORG, ...CENTER] } },
  { path: 'plans/new', name: 'plan-new', component: () => import('./PlanForm.vue'), meta: { title: '新增年度计划', roles: ORG } },
  { path: 'plans/overview', name: 'plan-overview', component: () => import('./PlanOverview.vue'), meta: { title: '计划汇总', roles: CENTER } },
  {
    path: 'plans/:id(\\d+)',
    name: 'plan-detail',
    component: () => import('./PlanDetail.vue'),
    props: (route) => ({ id: Number(route.params.id) }),
    meta: { title: '年度计划详情', roles: [...ORG, ...CENTER] },
  },
  {
    path: 'plans/:id(\\d+)/edit',
    name: 'plan-edit',
    component: () => import('./PlanForm.vue'),
    props: (route) => ({ id: Number(route.params.id) }),
    meta: { title: '修改年度计划', roles: ORG },
  },
]
