// Routes of the SPA and the guard that keeps /app/** for logged-in users.
import { createRouter, createWebHistory } from 'vue-router'
import { useSessionStore } from './stores/session.js'
import { showError } from './utils/notify.js'
import { PLATFORM_NAME } from './constants.js'
import LandingPage from './views/LandingPage.vue'
import NotFound from './views/NotFound.vue'

const LoginPage = () => import('./views/LoginPage.vue')

const routes = [
  { path: '/', name: 'landing', component: LandingPage },
  { path: '/login/org', name: 'login-org', component: LoginPage, props: { audience: 'org' }, meta: { title: '管理登录' } },
  { path: '/login/expert', name: 'login-expert', component: LoginPage, props: { audience: 'expert' }, meta: { title: '考评/督导人员登录' } },
  { path: '/login/candidate', name: 'login-candidate', component: LoginPage, props: { audience: 'candidate' }, meta: { title: '考生登录' } },
  { path: '/forgot', name: 'forgot', component: () => import('./views/ForgotPassword.vue'), meta: { title: '找回密码' } },
  { path: '/register', name: 'register', component: () => import('./views/CandidateRegister.vue'), meta: { title: '考生注册' } },
  {
    path: '/app',
    component: () => import('./views/app/AppLayout.vue'),
    meta: { requiresAuth: true },
    // Each module adds its pages here, e.g.
    // { path: 'batches', name: 'batch-list', component: () => import('./views/app/BatchList.vue'),
    //   meta: { title: '批次管理', roles: ['org', 'center_staff', 'center_director'] } },
    // and its menu entries in menu.js.
    children: [
      { path: '', name: 'app-home', component: () => import('./views/app/AppHome.vue'), meta: { title: '首页' } },
      { path: ':pathMatch(.*)*', name: 'app-not-found', component: NotFound, meta: { title: '页面不存在' } },
    ],
  },
  { path: '/:pathMatch(.*)*', name: 'not-found', component: NotFound, meta: { title: '页面不存在' } },
]

const router = createRouter({
  history: createWebHistory(),
  routes,
  scrollBehavior: (to, from, saved) => saved || { top: 0 },
})

router.beforeEach(async (to) => {
  if (!to.matched.some((r) => r.meta.requiresAuth)) return true
  const session = useSessionStore()
  try {
    await session.load() // asks the server only once per page load
  } catch (err) {
    // Not a 401: the server is unreachable or failing. Say so, and treat the visitor as logged out.
    if (!err?.status || err.status >= 500) showError(err)
  }
  if (!session.isLoggedIn) return { path: '/' }
  const roles = to.meta.roles
  if (roles && !roles.includes(session.role)) return { name: 'app-home' }
  return true
})

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} - ${PLATFORM_NAME}` : PLATFORM_NAME
})

export default router
