// Routes of the audit module: 操作日志 (the center), a child of /app.
export default [
  {
    path: 'audit',
    name: 'audit-log',
    component: () => import('./AuditLog.vue'),
    meta: { title: '操作日志', roles: ['center_staff', 'center_director'] },
  },
]
