// SPA entry: creates the Vue app with pinia and the router, and wires the HTTP layer to the session store.
import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import router from './router.js'
import { setCsrfTokenProvider, setUnauthorizedHandler } from './api/http.js'
import { useSessionStore } from './stores/session.js'
import { showInfo } from './utils/notify.js'
import './styles/global.css'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia)
app.use(router)

const session = useSessionStore(pinia)
setCsrfTokenProvider(() => session.csrfToken)
// The login page of each login kind (an ended session goes back to the one it came from).
const LOGIN_OF_KIND = {
  org: { path: '/login/org' },
  assessor: { path: '/login/expert' },
  supervisor: { path: '/login/expert', query: { kind: 'supervisor' } },
  candidate: { path: '/login/candidate' },
}
// A 401 while logged in means the session ended on the server (登录已超时, 账号已被冻结, 登录已过期):
// to the user's login page, which shows the server's words.
// (A failed login or the first GET /api/auth/me is handled by its caller: no user is set then.)
setUnauthorizedHandler((err) => {
  if (!session.user) return
  const kind = session.kind
  session.clear()
  const current = router.currentRoute.value
  if (current.path.startsWith('/app')) {
    const ended = err?.message || '登录已过期，请重新登录'
    const login = LOGIN_OF_KIND[kind] || LOGIN_OF_KIND.org
    router.replace({ ...login, query: { ...login.query, redirect: current.fullPath }, state: { ended } }).catch(() => showInfo(ended))
  }
})

app.mount('#app')
