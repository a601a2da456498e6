// Routes of the finance module (费用管理, R24): the fee list, one fee (the 站内信 link target; 去申请 for the
// station, the center's marks), and the center's prices. Children of /app.
const CENTER = ['center_staff', 'center_director']
const ALL = ['org2', 'station', ...CENTER]

export default [
  { path: 'fees', name: 'fee-list', component: () => import('./FeeList.vue'), meta: { title: '费用管理', roles: ALL } },
  {
    path: 'fees/:id(\\d+)',
    name: 'fee-detail',
    component: () => import('./FeeDetail.vue'),
    props: (route) => ({ id: Number(route.params.id) }),
    meta: { title: '费用详情', roles: ALL },
  },
  { path: 'fee-prices', name: 'fee-prices', component: () => import('./FeePrices.vue'), meta: { title: '收费标准', roles: CENTER } },
]
