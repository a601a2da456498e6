// phone.mjs - the pages candidates and experts use, at a phone's 390×844: the landing page, the three
// logins, registration, forgot/reset, and after login 首页, 站内信, 账号管理, 登录历史 and the menu drawer.
// Each page must fit the screen: document.documentElement.scrollWidth <= innerWidth.
//
//   KAOWU_URL=http://127.0.0.1:8080 node test/e2e/phone.mjs
import { BASE, PASSWORD, runSuite, expectVisible, expectPath, field, fail, screenshot, expectNoHorizontalScroll } from './_runner.mjs'

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

/** Visits the logged-in pages of a user and checks each one's width; opens the menu drawer once. */
async function visitAppPages(page, who) {
  for (const [path, name] of [
    ['/app', '首页'],
    ['/app/messages', '站内信'],
    ['/app/account', '账号管理'],
    ['/app/logins', '登录历史'],
  ]) {
    await page.goto(`${BASE}${path}`)
    await expectPath(page, (p) => p === path, path)
    await page.waitForLoadState('networkidle')
    await expectNoHorizontalScroll(page, `${who} ${name}`)
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
      if (path.startsWith('/login')) {
        const box = await page.locator('[data-test="submit"]').boundingBox()
        if (!box || box.x < 0 || box.x + box.width > VIEWPORT.width) fail(`the login button of ${name} is off-screen`)
      }
      await screenshot(page, `phone${path.replace(/[^a-z]+/g, '-')}.png`)
    },
  })),
  { name: 'candidate pages fit a phone', run: async (page) => visitAppPages(page, 'candidate', await loginAs(page, 'candidate', 'shentong')) },
  { name: 'expert pages fit a phone', run: async (page) => visitAppPages(page, 'expert', await loginAs(page, 'expert', ASSESSOR)) },
]

await runSuite('e2e-phone', cases, {
  viewport: VIEWPORT,
  afterFailure: async (context) => {
    await context.clearCookies()
  },
})
