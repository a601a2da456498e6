// Routes of the identity pages (module auth): the public login, registration and password-reset pages,
// the forced change of an initial password, and 首页 / 账号管理 / 登录历史 inside /app.
const LoginPage = () => import('./LoginPage.vue')

/** Top-level routes, outside the /app layout. */
export const publicRoutes = [
  { path: '/login/org', name: 'login-org', component: LoginPage, props: { audience: 'org' }, meta: { title: '管理登录' } },
  { path: '/login/expert', name: 'login-expert', component: LoginPage, props: { audience: 'expert' }, meta: { title: '考评/督导人员登录' } },
  { path: '/login/candidate', name: 'login-candidate', component: LoginPage, props: { audience: 'candidate' }, meta: { title: '考生登录' } },
  { path: '/register', name: 'register', component: () => import('./CandidateRegister.vue'), meta: { title: '考生注册' } },
  { path: '/forgot', name: 'forgot', component: () => import('./ForgotPassword.vue'), meta: { title: '找回密码' } },
  { path: '/reset', name: 'reset', component: () => import('./ResetPassword.vue'), meta: { title: '重设密码' } },
  {
    path: '/password/initial',
    name: 'initial-password',
    component: () => import('./InitialPassword.vue'),
    meta: { title: '修改初始密码', requiresAuth: true },
  },
]

/** Child routes of /app (every role). */
export default [
  { path: '', name: 'app-home', component: () => import('./HomePage.vue'), meta: { title: '首页' } },
  { path: 'account', name: 'account', component: () => import('./AccountPage.vue'), meta: { title: '账号管理' } },
  { path: 'logins', name: 'login-history', component: () => import('./LoginHistory.vue'), meta: { title: '登录历史' } },
]
