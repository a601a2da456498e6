// Routes of the batch module (批次管理 / 批次审核, manual 第一部分 二(二)): the list, the application form of a
// station (new, or a draft / rejected batch), and the detail with review, 调配 and 安排督导. Children of /app.
const STATION = ['station']
const ALL = ['org2', 'station', 'center_staff', 'center_director']

export default [
  { path: 'batches', name: 'batch-list', component: () => import('./BatchList.vue'), meta: { title: '鉴定批次', roles: ALL } },
  { path: 'batches/new', name: 'batch-new', component: () => import('./BatchForm.vue'), meta: { title: '新增批次申请', roles: STATION } },
  {
    path: 'batches/:id(\\d+)',
    name: 'batch-detail',
    component: () => import('./BatchDetail.vue'),
    props: (route) => ({ id: Number(route.params.id) }),
    meta: { title: '批次详情', roles: ALL },
  },
  {
    path: 'batches/:id(\\d+)/items/:itemId(\\d+)/papers',
    name: 'batch-papers',
    component: () => import('./BatchPapers.vue'),
    props: (route) => ({ id: Number(route.params.id), itemId: Number(route.params.itemId) }),
    meta: { title: '查看试卷', roles: ALL },
  },
  {
    path: 'batches/:id(\\d+)/edit',
    name: 'batch-edit',
    component: () => import('./BatchForm.vue'),
    props: (route) => ({ id: Number(route.params.id) }),
    meta: { title: '修改批次申请', roles: STATION },
  },
]
