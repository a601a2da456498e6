// Routes of the org module, children of /app: 机构信息 (institutions), 下属机构 (level-2 orgs),
// 机构信息管理 and 信息变更审核 (the center), and one org's page (center and level-2 orgs).
const CENTER = ['center_staff', 'center_director']
const ORGS = ['org2', 'station']

export default [
  { path: 'org-info', name: 'org-info', component: () => import('./OrgInfo.vue'), meta: { title: '机构信息', roles: ORGS } },
  { path: 'sub-orgs', name: 'sub-orgs', component: () => import('./SubOrgs.vue'), meta: { title: '下属机构', roles: ['org2'] } },
  { path: 'orgs', name: 'org-list', component: () => import('./OrgList.vue'), meta: { title: '机构信息管理', roles: CENTER } },
  {
    path: 'orgs/:id(\\d+)',
    name: 'org-detail',
    component: () => import('./OrgDetail.vue'),
    props: (route) => ({ id: Number(route.params.id) }),
    meta: { title: '机构详情', roles: [...CENTER, 'org2'] },
  },
  {
    path: 'org-change-requests',
    name: 'org-change-requests',
    component: () => import('./ChangeRequestReview.vue'),
    meta: { title: '信息变更审核', roles: CENTER },
  },
]
