// Routes of the message module: 站内信 (manual 第一部分 五(三)) for every logged-in role, a child of /app.
export default [{ path: 'messages', name: 'messages', component: () => import('./MessageList.vue'), meta: { title: '站内信' } }]
