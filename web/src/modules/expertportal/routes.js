// Routes of the expert portal (考评/督导报告) and of the item's reports page shared with the station and its
// reviewers (成绩管理 / 鉴定报告 live in the grading module). Children of /app.
const EXPERTS = ['assessor', 'supervisor']
const ALL = ['assessor', 'supervisor', 'station', 'org2', 'center_staff', 'center_director']
const ids = (route) => ({ batchId: Number(route.params.batchId), itemId: Number(route.params.itemId) })

export default [
  { path: 'expert-tasks', name: 'expert-tasks', component: () => import('./ExpertTasks.vue'), meta: { title: '考评/督导报告', roles: EXPERTS } },
  {
    path: 'batches/:batchId(\\d+)/items/:itemId(\\d+)/reports',
    name: 'item-reports',
    component: () => import('./ItemReports.vue'),
    props: ids,
    meta: { title: '考评/督导报告', roles: ALL },
  },
]
