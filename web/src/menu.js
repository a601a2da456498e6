// The left menu of the authenticated layout, as data: per role, a list of entries and groups (label, route, icon).
import { HomeFilled } from '@element-plus/icons-vue'

/**
 * An entry is { label, route, icon }; a group is { label, icon, children: [entry, …] }.
 * Labels are the manual's menu names (使用手册 目录 and “点击左侧菜单栏……”).
 * Only pages that exist are listed. A later module adds its page to router.js
 * (under /app, with meta.roles) and its entries here, for example the batch module:
 *
 *   import { Tickets, Calendar, Files } from '@element-plus/icons-vue'
 *   const examAffairs = { label: '考务管理', icon: Tickets, children: [
 *     { label: '年度计划管理', route: '/app/plans', icon: Calendar },
 *     { label: '批次管理', route: '/app/batches', icon: Files },
 *   ] }
 *   …and then `org: [home, examAffairs, …]`.
 *
 * The menus the manual names, per role, for reference:
 *   org (机构):          考务管理(年度计划管理, 批次管理, 证书数据管理), 专家管理(考评员/督导员管理, 考评管理人员培训),
 *                        题库管理(我的题库, 组卷方案管理), 我的账户(费用管理, 通知公告, 站内信, 机构信息, 账号管理, 登录历史)
 *   assessor/supervisor: 考评/督导报告, 我的证书, 修改密码, 登录历史
 *   candidate (考生):     考试报名, 我的报名, 报名意向表, 自评自测, 账号管理, 登录历史
 */
const home = { label: '首页', route: '/app', icon: HomeFilled }

export const MENUS = {
  center_staff: [home],
  center_director: [home],
  org: [home],
  assessor: [home],
  supervisor: [home],
  candidate: [home],
}

/** The menu of a role (an empty list for an unknown role). */
export function menuFor(role) {
  return MENUS[role] || []
}

/** The labels from the menu root to the entry whose route is `path`, e.g. ['考务管理', '批次管理']; [] if none. */
export function menuTrail(role, path) {
  const walk = (items, trail) => {
    for (const item of items) {
      if (item.route === path) return [...trail, item.label]
      if (item.children) {
        const found = walk(item.children, [...trail, item.label])
        if (found) return found
      }
    }
    return null
  }
  return walk(menuFor(role), []) || []
}
