// Routes of the training module (考评管理人员培训): the list (+新增 for orgs; review, schedule and export for
// the center), the application form and the detail with 审批流程. Children of /app.
const ORG = ['org2', 'station']
const CENTER = ['center_staff', 'center_director']

export default [
  { path: 'trainings', name: 'training-list', component: () => import('./TrainingList.vue'), meta: { title: '考评管理人员培训', roles: [...ORG, ...CENTER] } },
  { path: 'trainings/new', name: 'training-new', component: () => import('./TrainingForm.vue'), meta: { title: '申请培训', roles: ORG } },
  {
    path: 'trainings/:id(\\d+)',
    name: 'training-detail',
    component: () => import('./TrainingDetail.vue'),
    props: (route) => ({ id: Number(route.params.id) }),
    meta: { title: '培训申请详情', roles: [...ORG, ...CENTER] },
  },
]
