// Routes of 考试服务: 报名意向表 and 自评自测 for candidates, 报名意向汇总 for the center. Children of /app.
const CANDIDATE = ['candidate']
const CENTER = ['center_staff', 'center_director']

export default [
  { path: 'intentions', name: 'intentions', component: () => import('./IntentionPage.vue'), meta: { title: '报名意向表', roles: CANDIDATE } },
  {
    path: 'intentions/summary',
    name: 'intention-summary',
    component: () => import('./IntentionSummary.vue'),
    meta: { title: '报名意向汇总', roles: CENTER },
  },
  { path: 'self-tests', name: 'self-tests', component: () => import('./SelfTestHome.vue'), meta: { title: '自评自测', roles: CANDIDATE } },
  {
    path: 'self-tests/:id(\\d+)',
    name: 'self-test',
    component: () => import('./SelfTestPaper.vue'),
    props: (route) => ({ id: Number(route.params.id) }),
    meta: { title: '自评自测', roles: CANDIDATE },
  },
]
