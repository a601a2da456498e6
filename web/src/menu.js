// The left menu of the authenticated layout, built per role from the entries the modules register
// in src/modules/<module>/menu.js (picked up with import.meta.glob; see web/README.md).
import { Tickets, UserFilled, Collection, OfficeBuilding, Setting, Wallet, Folder } from '@element-plus/icons-vue'

/**
 * A module's menu.js default-exports an array of entries:
 *   { roles: ['org2', 'station'], group: '考务管理', label: '批次管理', path: '/app/batches', icon: Files, order: 120 }
 * roles  role codes that see the entry (center_staff, center_director, org2, station, assessor,
 *        supervisor, candidate); an entry for several roles with different labels or groups is
 *        written as several entries.
 * group  the manual's menu group the entry sits in (one of GROUPS below, or a new name); leave it
 *        out for a top-level entry (the 考评/督导 and 考生 menus are flat in the manual).
 * order  sorts entries inside a group and top-level nodes against each other (see README).
 */

/** The manual's menu groups, in the order they appear; a group shows only when it has entries. */
export const GROUPS = {
  考务管理: { order: 100, icon: Tickets },
  专家管理: { order: 200, icon: UserFilled },
  题库管理: { order: 300, icon: Collection },
  机构管理: { order: 400, icon: OfficeBuilding },
  系统管理: { order: 800, icon: Setting },
  我的账户: { order: 900, icon: Wallet },
}

/** Every role code the server gives (API user.role). */
export const ROLES = ['center_staff', 'center_director', 'org2', 'station', 'assessor', 'supervisor', 'candidate']

const modules = import.meta.glob('./modules/*/menu.js', { eager: true })

/** All entries of all modules, each tagged with its module name. */
export const ENTRIES = Object.entries(modules).flatMap(([file, mod]) => {
  const module = file.split('/')[2]
  return (Array.isArray(mod.default) ? mod.default : []).map((entry) => ({ ...entry, module }))
})

const byOrder = (a, b) => (a.order ?? 500) - (b.order ?? 500) || a.label.localeCompare(b.label, 'zh-CN')

/**
 * The menu of a role: a list of top-level nodes, each an entry { label, path, icon } or a group
 * { label, icon, children: [entry, …] }. exists(path, role) filters out entries whose page is not
 * there (the layout passes a check against the router); an entry path appears once per role.
 */
export function buildMenu(role, exists = () => true) {
  const seen = new Set()
  const entries = ENTRIES.filter((e) => Array.isArray(e.roles) && e.roles.includes(role))
    .sort(byOrder)
    .filter((e) => {
      if (!e.path || seen.has(e.path) || !exists(e.path, role)) return false
      seen.add(e.path)
      return true
    })

  const top = []
  const groups = new Map()
  for (const e of entries) {
    const item = { label: e.label, path: e.path, icon: e.icon, order: e.order ?? 500 }
    if (!e.group) {
      top.push(item)
      continue
    }
    let group = groups.get(e.group)
    if (!group) {
      const known = GROUPS[e.group]
      // An unknown group sorts by its first (lowest-order) entry.
      group = { label: e.group, icon: known?.icon || Folder, order: known?.order ?? item.order, children: [] }
      groups.set(e.group, group)
      top.push(group)
    }
    group.children.push(item)
  }
  return top.sort(byOrder)
}

/** The leaves of a menu (entries without their groups), in menu order. */
export function menuLeaves(menu) {
  return menu.flatMap((node) => (node.children ? node.children : [node]))
}

/**
 * The labels from the menu root to the entry for `path`, e.g. ['考务管理', '批次管理'] — the entry
 * whose path equals it, else the one with the longest path that is a prefix of it (a detail page
 * /app/batches/12 belongs to /app/batches). [] if none.
 */
export function menuTrail(menu, path) {
  let best = null
  const walk = (nodes, trail) => {
    for (const node of nodes) {
      if (node.children) {
        walk(node.children, [...trail, node.label])
        continue
      }
      if (best?.exact) return
      const exact = node.path === path
      const prefix = node.path !== '/app' && path.startsWith(`${node.path}/`)
      if (exact || (prefix && (!best || node.path.length > best.path.length))) {
        best = { path: node.path, exact, trail: [...trail, node.label] }
      }
    }
  }
  walk(menu, [])
  return best ? best.trail : []
}
