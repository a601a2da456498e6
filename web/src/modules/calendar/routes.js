// Routes of 考试日历 (issue 11): one page, children of /app.
export default [
  {
    path: 'calendar',
    name: 'exam-calendar',
    component: () => import('./ExamCalendar.vue'),
    meta: { title: '考试日历', roles: ['center_staff', 'center_director', 'org2'] },
  },
]
