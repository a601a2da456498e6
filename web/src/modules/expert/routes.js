// Routes of the experts module (考评员/督导员管理 for institutions and the center, 我的证书 for assessors
// and supervisors), children of /app.
const ORG_ROLES = ['center_staff', 'center_director', 'org2', 'station']
const EXPERT_ROLES = ['assessor', 'supervisor']

export default [
  {
    path: 'experts',
    name: 'expert-list',
    component: () => import('./ExpertList.vue'),
    meta: { title: '考评员/督导员管理', roles: ORG_ROLES },
  },
  {
    path: 'experts/:id(\\d+)',
    name: 'expert-detail',
    component: () => import('./ExpertDetail.vue'),
    props: (route) => ({ id: Number(route.params.id) }),
    meta: { title: '考评人员详情', roles: ORG_ROLES },
  },
  {
    path: 'my-certificates',
    name: 'my-certificates',
    component: () => import('./MyCertificates.vue'),
    meta: { title: '我的证书', roles: EXPERT_ROLES },
  },
]
