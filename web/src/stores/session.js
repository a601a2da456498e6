// Pinia store of the login session: the current user, the CSRF token, and load/login/logout/password change.
import { defineStore } from 'pinia'
import * as authApi from '../api/auth.js'

export const useSessionStore = defineStore('session', {
  state: () => ({
    user: null, // { id, role, name, org_id, must_change_password, kind }
    csrfToken: '',
    loaded: false, // GET /api/auth/me has been asked once
  }),

  getters: {
    isLoggedIn: (state) => state.user !== null,
    /** Role code: center_staff, center_director, org2, station, assessor, supervisor, candidate. */
    role: (state) => state.user?.role || null,
    /** Login kind: org, assessor, supervisor, candidate. */
    kind: (state) => state.user?.kind || null,
    /** The account still has its initial password: every API but password/logout/me answers 403. */
    mustChangePassword: (state) => Boolean(state.user?.must_change_password),
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

    /** Marks the session as bound to change its password (after a 403 请先修改初始密码). */
    requirePasswordChange() {
      if (this.user) this.user = { ...this.user, must_change_password: true }
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

    /**
     * Changes the password (422 with fields old_password / new_password on failure), then
     * reloads the session so must_change_password reflects the server. The server keeps this
     * session and ends the account's other ones.
     */
    async changePassword(oldPassword, newPassword) {
      await authApi.changePassword(oldPassword, newPassword)
      try {
        this.setSession(await authApi.me())
      } catch {
        // The change itself succeeded; only the refresh failed: the flag is known to be cleared.
        if (this.user) this.user = { ...this.user, must_change_password: false }
      }
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
