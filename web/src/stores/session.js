// Pinia store of the login session: the current user, the CSRF token, and load/login/logout.
import { defineStore } from 'pinia'
import * as authApi from '../api/auth.js'

export const useSessionStore = defineStore('session', {
  state: () => ({
    user: null, // { id, role, name, org_id, must_change_password }
    csrfToken: '',
    loaded: false, // GET /api/auth/me has been asked once
  }),

  getters: {
    isLoggedIn: (state) => state.user !== null,
    role: (state) => state.user?.role || null,
  },

  actions: {
    /** Takes the body of login / me: { user, csrf_token }. */
    setSession(body) {
      this.user = body?.user || null
      this.csrfToken = body?.csrf_token || ''
    },

    clear() {
      this.user = null
      this.csrfToken = ''
    },

    /**
     * Asks the server who is logged in (once, unless force). 401 means logged out;
     * any other failure (server down, …) also leaves the visitor logged out, and is rethrown.
     */
    async load({ force = false } = {}) {
      if (this.loaded && !force) return this.user
      try {
        this.setSession(await authApi.me())
      } catch (err) {
        this.clear()
        if (err?.status !== 401) throw err
      } finally {
        this.loaded = true
      }
      return this.user
    },

    /** kind: 'org' | 'assessor' | 'supervisor' | 'candidate'. Throws ApiError on failure. */
    async login(kind, username, password) {
      const body = await authApi.login(kind, username, password)
      this.setSession(body)
      this.loaded = true
      return this.user
    },

    /** Ends the session on the server; the local session is cleared even if that call fails. */
    async logout() {
      try {
        if (this.user) await authApi.logout()
      } finally {
        this.clear()
        this.loaded = true
      }
    },
  },
})
