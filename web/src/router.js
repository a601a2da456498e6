// Routes of the SPA: the public pages, the logged-in area /app whose pages the modules register
// (src/modules/<module>/routes.js, picked up with import.meta.glob), and the guard that keeps /app/**
// for logged-in users, forces the change of an initial password and checks each page's roles.
import { createRouter, createWebHistory } from 'vue-router'
import { useSessionStore } from './stores/session.js'
import { setForbiddenHandler, isPasswordChangeRequired } from './api/http.js'
import { showError } from './utils/notify.js'
import { PLATFORM_NAME } from './constants.js'
import LandingPage from './views/LandingPage.vue'
import NotFound from './views/NotFound.vue'
import Forbidden from './views/Forbidden.vue'

/**
 * Each module's routes.js default-exports the child routes of /app (paths relative to /app,
 * e.g. 'batches/:id', with meta.title and meta.roles), and may export `publicRoutes`: top-level
 * routes outside the layout (login, registration, …; meta.requiresAuth for ones that need a session).
 */
const moduleFiles = import.meta.glob('./modules/*/routes.js', { eager: true })
const modules = Object.values(moduleFiles)
const appRoutes = modules.flatMap((m) => (Array.isArray(m.default) ? m.default : []))
const publicRoutes = modules.flatMap((m) => (Array.isArray(m.publicRoutes) ? m.publicRoutes : []))

/** Where a logged-in user who still has the initial password is sent (a module registers it). */
export const INITIAL_PASSWORD_ROUTE = 'initial-password'

const routes = [
  { path: '/', name: 'landing', component: LandingPage },
  ...publicRoutes,
  {
    path: '/app',
    component: () => import('./views/app/AppLayout.vue'),
    meta: { requiresAuth: true },
    children: [
      ...appRoutes,
      { path: ':pathMatch(.*)*', name: 'app-not-found', component: NotFound, meta: { title: '页面不存在' } },
      // Reached only by name from the guard (a page the role may not open), keeping the address typed.
      { path: ':pathMatch(.*)*', name: 'app-forbidden', component: Forbidden, meta: { title: '无权访问' } },
    ],
  },
  { path: '/:pathMatch(.*)*', name: 'not-found', component: NotFound, meta: { title: '页面不存在' } },
]

const router = createRouter({
  history: createWebHistory(),
  routes,
  scrollBehavior: (to, from, saved) => saved || { top: 0 },
})

/** A redirect target taken from a query string: only pages of the logged-in area, never another site. */
export function safeRedirect(value, fallback = '/app') {
  return typeof value === 'string' && /^\/app(?:[/?#]|$)/.test(value) ? value : fallback
}

/** True when `path` leads to a real page of /app that `role` may open (the menu shows only those). */
export function pageExists(path, role) {
  const resolved = router.resolve(path)
  if (!resolved.matched.length || ['app-not-found', 'app-forbidden', 'not-found'].includes(resolved.name)) return false
  return resolved.matched.every((r) => !r.meta.roles || r.meta.roles.includes(role))
}

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
  // The server refuses everything else until an initial password is replaced.
  if (session.mustChangePassword) {
    if (to.name === INITIAL_PASSWORD_ROUTE) return true
    return { name: INITIAL_PASSWORD_ROUTE, query: { redirect: to.fullPath } }
  }
  if (to.name === INITIAL_PASSWORD_ROUTE) return { path: safeRedirect(to.query.redirect) }
  const allowed = to.matched.every((r) => !r.meta.roles || r.meta.roles.includes(session.role))
  // A page the role may not open: say so on a 403 page at the same address (not a silent 首页).
  if (!allowed) {
    return { name: 'app-forbidden', params: { pathMatch: to.path.replace(/^\/app\/?/, '').split('/') }, query: to.query, hash: to.hash }
  }
  return true
})

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} - ${PLATFORM_NAME}` : PLATFORM_NAME
})

// Any API call answering 403 请先修改初始密码 (the server's flag was set after this page loaded,
// or a page asked before the guard knew): mark the session and go to the password change.
setForbiddenHandler((err) => {
  if (!isPasswordChangeRequired(err)) return
  const session = useSessionStore()
  if (!session.user) return
  session.requirePasswordChange()
  const current = router.currentRoute.value
  if (current.name !== INITIAL_PASSWORD_ROUTE && current.path.startsWith('/app')) {
    router.replace({ name: INITIAL_PASSWORD_ROUTE, query: { redirect: current.fullPath } })
  }
})

export default router
