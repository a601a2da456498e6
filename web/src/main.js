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
// A 401 while logged in means the session expired on the server: back to the landing page.
// (A failed login or the first GET /api/auth/me is handled by its caller: no user is set then.)
setUnauthorizedHandler(() => {
  if (!session.user) return
  session.clear()
  if (router.currentRoute.value.path.startsWith('/app')) {
    showInfo('登录已过期，请重新登录')
    router.replace('/')
  }
})

app.mount('#app')
