// Routes of the notice module: inside /app the list, the center's form and the detail (an org reads it and
// fills the 回执; the center sees who read and answered and exports the receipts); outside, the public
// site's 通知公告 / 工作动态 / 行业动态 pages, a page per public notice and 站内搜索.
const ORG = ['org2', 'station']
const CENTER = ['center_staff', 'center_director']

export const publicRoutes = [
  { path: '/notices', name: 'public-notices', component: () => import('./PublicNoticeList.vue'), meta: { title: '通知公告' } },
  {
    path: '/notices/:id(\\d+)',
    name: 'public-notice',
    component: () => import('./PublicNoticeView.vue'),
    props: (route) => ({ id: Number(route.params.id) }),
    meta: { title: '通知公告' },
  },
  { path: '/search', name: 'site-search', component: () => import('./SearchPage.vue'), meta: { title: '站内搜索' } },
]

export default [
  { path: 'notices', name: 'notice-list', component: () => import('./NoticeList.vue'), meta: { title: '通知公告', roles: [...ORG, ...CENTER] } },
  { path: 'notices/new', name: 'notice-new', component: () => import('./NoticeForm.vue'), meta: { title: '新建通知公告', roles: ['center_staff'] } },
  {
    path: 'notices/:id(\\d+)',
    name: 'notice-detail',
    component: () => import('./NoticeDetail.vue'),
    props: (route) => ({ id: Number(route.params.id) }),
    meta: { title: '通知详情', roles: [...ORG, ...CENTER] },
  },
  {
    path: 'notices/:id(\\d+)/edit',
    name: 'notice-edit',
    component: () => import('./NoticeForm.vue'),
    props: (route) => ({ id: Number(route.params.id) }),
    meta: { title: '修改通知公告', roles: ['center_staff'] },
  },
]
