// Shared code → Chinese text tables (roles, login kinds) used across views.

/** User roles (API `user.role`: center_staff, center_director, org2 = level-2 org, station, …) and the words a user sees. */
export const ROLE_TEXT = {
  center_staff: '中心工作人员',
  center_director: '中心主任',
  org2: '二级机构',
  station: '鉴定站',
  assessor: '考评员',
  supervisor: '督导员',
  candidate: '考生',
}

/** Login kinds (API `kind` of POST /api/auth/login). */
export const LOGIN_KINDS = ['org', 'assessor', 'supervisor', 'candidate']

export const PLATFORM_NAME = '机械工业人才评价管理服务平台'
export const CENTER_NAME = '机械工业职业技能鉴定指导中心'
