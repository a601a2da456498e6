// phone.mjs - the pages candidates and experts use, at a phone's 390×844: the landing page, the three
// logins, registration, forgot/reset, and after login 首页, 站内信, 账号管理, 登录历史 and the menu drawer;
// for a candidate also 我的证书, 考试报名, 我的报名 (and one enrollment), 报名意向表 and 自评自测; for an
// expert 考评/督导报告 with an item's report page and 我的证书 (issue 15 item 15).
// Each page must fit the screen (document.documentElement.scrollWidth <= innerWidth) and every visible
// button must be reachable: inside the screen's width (or in a box that scrolls sideways to it) and not
// covered by another element.
//
//   KAOWU_URL=http://127.0.0.1:8080 node test/e2e/phone.mjs
import { BASE, PASSWORD, runSuite, apiLogin, expectVisible, expectPath, field, fail, screenshot, expectNoHorizontalScroll } from './_runner.mjs'

const VIEWPORT = { width: 390, height: 844 }
const ASSESSOR = '422201199001176250' // 铅笔 (demo)

/** Logs in through the login page of `audience` (org, expert, candidate). */
async function loginAs(page, audience, username) {
  await page.goto(`${BASE}/login/${audience}`)
  await expectVisible(page.locator('[data-test="login-form"]'), 'the login form')
  await field(page, 'username').fill(username)
  await field(page, 'password').fill(PASSWORD)
  await page.locator('[data-test="submit"]').click()
  await expectPath(page, (p) => p === '/app', `/app after the login of ${username}`)
}

/** Fails when a visible button or link-button of the page cannot be reached on the phone's screen. */
async function expectButtonsReachable(page, what) {
  const bad = await page.evaluate(() => {
    const W = window.innerWidth
    const H = window.innerHeight
    const scrollsSideways = (el) => {
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        const o = getComputedStyle(a).overflowX
        if ((o === 'auto' || o === 'scroll') && a.scrollWidth > a.clientWidth) return true
      }
      return false
    }
    const out = []
    for (const b of document.querySelectorAll('button, .el-button, [role="button"]')) {
      if (b.closest('.el-popper, .el-overlay, [aria-hidden="true"]')) continue
      const r = b.getBoundingClientRect()
      const style = getComputedStyle(b)
      if (!r.width || !r.height || style.visibility === 'hidden' || style.display === 'none') continue
      const name = (b.textContent || b.getAttribute('aria-label') || b.className).trim().slice(0, 20)
      if ((r.left < -1 || r.right > W + 1) && !scrollsSideways(b)) {
        out.push(`${name} at x ${Math.round(r.left)}–${Math.round(r.right)}`)
        continue
      }
      const cx = Math.min(Math.max(r.left + r.width / 2, 0), W - 1)
      const cy = r.top + r.height / 2
      if (cy < 0 || cy >= H) continue // below the fold: reachable by scrolling down
      const hit = document.elementFromPoint(cx, cy)
      if (hit && !b.contains(hit) && !hit.contains(b)) out.push(`${name} covered by ${hit.tagName.toLowerCase()}.${String(hit.className).split(' ')[0]}`)
    }
    return out
  })
  if (bad.length) fail(`${what}: buttons out of reach: ${bad.join('; ')}`)
}

/** Visits the logged-in pages of a user (the four everyone has and `more`) and checks width and buttons. */
async function visitAppPages(page, who, more = []) {
  for (const [path, name] of [
    ['/app', '首页'],
    ['/app/messages', '站内信'],
    ['/app/account', '账号管理'],
    ['/app/logins', '登录历史'],
    ...more,
  ]) {
    await page.goto(`${BASE}${path}`)
    await expectPath(page, (p) => p === path, path)
    await page.waitForLoadState('networkidle')
    await expectNoHorizontalScroll(page, `${who} ${name}`)
    await expectButtonsReachable(page, `${who} ${name}`)
  }
  await page.locator('[data-test="menu-toggle"]').click()
  await expectVisible(page.locator('[data-test="app-menu-drawer"]'), 'the menu drawer')
  await page.locator('[data-test="app-menu-drawer"] [data-test="menu-账号管理"], [data-test="app-menu-drawer"] [data-test="menu-修改密码"]').first().click()
  await expectPath(page, (p) => p === '/app/account', '/app/account from the drawer')
  await expectNoHorizontalScroll(page, `${who} page opened from the drawer`)
  await screenshot(page, `phone-${who}-account.png`)
  await page.locator('[data-test="logout"]').click()
  await expectPath(page, (p) => p === '/', 'the landing page after 退出')
}

const PUBLIC = [
  ['/', '首页（门户）'],
  ['/login/org', '管理登录'],
  ['/login/expert', '考评/督导人员登录'],
  ['/login/candidate', '考生登录'],
  ['/register', '考生注册'],
  ['/forgot', '找回密码'],
  ['/reset?token=x', '重设密码'],
]

const cases = [
  ...PUBLIC.map(([path, name]) => ({
    name: `${name} fits a phone`,
    run: async (page) => {
      await page.goto(`${BASE}${path}`)
      await page.waitForLoadState('networkidle')
      await expectNoHorizontalScroll(page, name)
      await expectButtonsReachable(page, name)
      if (path.startsWith('/login')) {
        const box = await page.locator('[data-test="submit"]').boundingBox()
        if (!box || box.x < 0 || box.x + box.width > VIEWPORT.width) fail(`the login button of ${name} is off-screen`)
      }
      await screenshot(page, `phone${path.replace(/[^a-z]+/g, '-')}.png`)
    },
  })),
  {
    name: 'candidate pages fit a phone',
    run: async (page) => {
      const api = await apiLogin('candidate', 'shentong')
      const mine = (await api.get('/api/enrollments/mine').catch(() => null))?.items?.[0]
      await loginAs(page, 'candidate', 'shentong')
      await visitAppPages(page, 'candidate', [
        ['/app/my-certificates', '我的证书'],
        ['/app/enroll', '考试报名'],
        ['/app/my-enrollments', '我的报名'],
        ...(mine ? [[`/app/my-enrollments/${mine.id}`, '报名详情']] : []),
        ['/app/intentions', '报名意向表'],
        ['/app/self-tests', '自评自测'],
      ])
    },
  },
  {
    name: 'expert pages fit a phone',
    run: async (page) => {
      const api = await apiLogin('assessor', ASSESSOR)
      const task = ((await api.get('/api/expert/tasks')).items || []).find((t) => t.scores_visible)
      await loginAs(page, 'expert', ASSESSOR)
      await visitAppPages(page, 'expert', [
        ['/app/expert-tasks', '考评/督导报告'],
        ...(task ? [[`/app/batches/${task.batch.id}/items/${task.item_id}/reports`, '成绩与报告']] : []),
        ['/app/my-certificates', '我的证书'],
      ])
    },
  },
]

await runSuite('e2e-phone', cases, {
  viewport: VIEWPORT,
  afterFailure: async (context) => {
    await context.clearCookies()
  },
})
