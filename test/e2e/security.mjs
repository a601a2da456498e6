// End-to-end check of issue 14 in Debian's headless chromium: the password policy's words on 考生注册
// (client: length in characters; server: the common-password list) and 重新发放初始密码 on 机构详情.
//
//   node test/e2e/security.mjs      (standalone, like plan.mjs)
//   KAOWU_URL, KAOWU_SCREENSHOTS, KAOWU_CHROMIUM as for run.mjs
//
// The station it re-issues for is created by the case itself (a fresh code), so no demo account changes.
// The last line is `e2e-security: N passed, N failed`; exit code 1 on failure.
import { runSuite, BASE, fail, screenshot, expectVisible, expectPath, field, login, logout, confirmBox, idNumber } from './_runner.mjs'

const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`


const cases = [
  {
    name: 'item 2: 考生注册 counts characters and refuses a common password with the server words',
    async run(page) {
      await page.goto(`${BASE}/register`)
      await expectVisible(page.getByRole('heading', { name: '考生注册' }), 'the 考生注册 heading')
      await field(page, 'reg-password').fill('考务系统密码') // 6 characters, 18 bytes
      await field(page, 'reg-password').blur()
      await expectVisible(page.getByText('密码至少 8 个字符'), 'the length message (characters, not bytes)')
      await field(page, 'reg-username').fill(`e2e_sec_${suffix}`.slice(0, 32))
      await field(page, 'reg-password').fill('Passw0rd1')
      await field(page, 'reg-password2').fill('Passw0rd1')
      await field(page, 'reg-id-number').fill(idNumber())
      await field(page, 'reg-real-name').fill('测试考生')
      await field(page, 'reg-email').fill(`${suffix}@e2e.kaowu.example`)
      await field(page, 'reg-phone').fill('13912345678')
      await field(page, 'reg-phone').press('Tab')
      await page.locator('[data-test="reg-submit"]').click()
      await expectVisible(page.getByText('该密码过于常见，容易被猜中，请换一个'), 'the common-password message')
      await screenshot(page, 'security-register.png')
      if (new URL(page.url()).pathname !== '/register') fail('a common password registered')
    },
  },
  {
    name: 'item 1: the center re-issues the initial password of a station it issued',
    async run(page) {
      await login(page, 'staff01')
      const code = `46${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`
      const id = await page.evaluate(async (code) => {
        const me = await (await fetch('/api/auth/me')).json()
        const body = {
          name: `测试鉴定站${code}`, code, kind: 'station', parent_id: me.user.org_id,
          scopes: [{ category: 'national', occupation_id: 9 }], builder: '测试承建单位', leader_name: '张三',
          contact_name: '李四', phone: '010-12345678', email: `t${code}@kaowu.example`, postcode: '100176',
          address: '北京市大兴区', valid_until: '2031-06-30', region_code: '110115',
        }
        const r = await fetch('/api/orgs', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token },
          body: JSON.stringify(body),
        })
        return r.status === 201 ? (await r.json()).id : -r.status
      }, code)
      if (id <= 0) fail(`creating the station answered ${-id}`)
      await page.goto(`${BASE}/app/orgs/${id}`)
      await expectPath(page, (p) => p === `/app/orgs/${id}`, `the page of station ${id}`)
      await page.locator('[data-test="org-detail-reissue"]').click()
      await confirmBox(page, '重新发放')
      await expectVisible(page.getByText('已重新发放：初始密码为机构代码，14 天内有效'), 'the re-issue message')
      await screenshot(page, 'security-reissue.png')
      await logout(page)
    },
  },
]

runSuite('e2e-security', cases)
