// Routes of the enrollment module (考试报名, 我的报名 for candidates; 花名册 and an enrollment's detail for the
// station and its reviewers, manual 第一部分 二(二) 第二阶段 and 第三部分 三). Children of /app.
const CANDIDATE = ['candidate']
const ORGS = ['station', 'org2', 'center_staff', 'center_director']
const id = (route) => ({ id: Number(route.params.id) })

export default [
  { path: 'enroll', name: 'enroll', component: () => import('./EnrollWizard.vue'), meta: { title: '考试报名', roles: CANDIDATE } },
  { path: 'my-enrollments', name: 'my-enrollments', component: () => import('./MyEnrollments.vue'), meta: { title: '我的报名', roles: CANDIDATE } },
  {
    path: 'my-enrollments/:id(\\d+)',
    name: 'my-enrollment',
    component: () => import('./EnrollmentDetail.vue'),
    props: id,
    meta: { title: '报名详情', roles: CANDIDATE },
  },
  {
    path: 'batches/:batchId(\\d+)/items/:itemId(\\d+)/roster',
    name: 'roster',
    component: () => import('./RosterPage.vue'),
    props: (route) => ({ batchId: Number(route.params.batchId), itemId: Number(route.params.itemId) }),
    meta: { title: '花名册', roles: ORGS },
  },
  {
    path: 'enrollments/:id(\\d+)',
    name: 'enrollment',
    component: () => import('./EnrollmentDetail.vue'),
    props: id,
    meta: { title: '考生报名详情', roles: ORGS },
  },
]
