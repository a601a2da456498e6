// Routes of the certificate module: 证书数据管理 (R26), a batch's certificates (查看证书), 我的证书 (children of /app)
// and the public verification page the certificate's QR code opens (/verify, no login, phone-first).
const ORGS = ['station', 'org2', 'center_staff', 'center_director']

export default [
  { path: 'certificates', name: 'certificates', component: () => import('./CertificateData.vue'), meta: { title: '证书数据管理', roles: ORGS } },
  {
    path: 'batches/:id(\\d+)/certificates',
    name: 'batch-certificates',
    component: () => import('./BatchCertificates.vue'),
    props: (route) => ({ id: Number(route.params.id) }),
    meta: { title: '查看证书', roles: ORGS },
  },
  { path: 'my-certificates', name: 'my-certificates', component: () => import('./MyCertificates.vue'), meta: { title: '我的证书', roles: ['candidate'] } },
]

export const publicRoutes = [{ path: '/verify', name: 'verify', component: () => import('./VerifyPage.vue'), meta: { title: '证书验证' } }]
