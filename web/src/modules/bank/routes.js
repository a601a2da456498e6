// Routes of the bank module, children of /app: 我的题库 (list, statistics, import), 组卷方案管理 and the
// generated paper (questions by type, 替换, 导出试卷 / 导出答案).
const ROLES = ['org2', 'station', 'center_staff', 'center_director']

export default [
  {
    path: 'bank',
    name: 'bank',
    component: () => import('./BankPage.vue'),
    meta: { title: '我的题库', roles: ROLES },
  },
  {
    path: 'schemes',
    name: 'schemes',
    component: () => import('./SchemeList.vue'),
    meta: { title: '组卷方案管理', roles: ROLES },
  },
  {
    path: 'schemes/papers/:id(\\d+)',
    name: 'paper',
    component: () => import('./PaperView.vue'),
    props: (route) => ({ id: Number(route.params.id) }),
    meta: { title: '试卷', roles: ROLES },
  },
]
