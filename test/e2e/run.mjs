// End-to-end checks of the kaowu SPA in Debian's headless chromium, with playwright-core from web/node_modules.
//
//   node test/e2e/run.mjs            (after `npm ci` in web/ and with the site up)
//   KAOWU_URL=http://127.0.0.1:8080  base URL of the site (nginx, or any server of web/dist)
//   KAOWU_SCREENSHOTS=dir            where screenshots go (default test/e2e/screenshots)
//   KAOWU_CHROMIUM=/usr/bin/chromium the browser binary (never downloaded; default: chromium-headless-shell)
//   KAOWU_HOME=dir                   the instance's home: the 找回密码 case reads the mail in $KAOWU_HOME/mail
//
// The cases log in with the demo accounts (API.md) and register one new candidate per run; exactly one
// login per run fails on purpose (an unknown user), so repeated runs stay far below the login throttling.
// Each case runs in turn with its own timeout and catches its own failure. Console errors, page
// errors and failed requests other than /api/ calls fail the case (that is how CSP violations show).
// The last line is `e2e: N passed, N failed`; the exit code is 1 when any case failed.
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { CHROMIUM, withoutMotion } from './_runner.mjs'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const REPO = path.resolve(HERE, '..', '..')
const BASE = (process.env.KAOWU_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '')
const SHOTS = path.resolve(process.env.KAOWU_SCREENSHOTS || path.join(HERE, 'screenshots'))
const CASE_TIMEOUT_MS = Number(process.env.KAOWU_E2E_CASE_TIMEOUT_MS || 30000)
const STEP_TIMEOUT_MS = 10000
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

// ---------------------------------------------------------------- helpers

function fail(message) {
  throw new Error(message)
}

function isApi(url) {
  try {
    return new URL(url).pathname.startsWith('/api/')
  } catch {
    return false
  }
}

async function screenshot(page, name, fullPage = false) {
  await page.screenshot({ path: path.join(SHOTS, name), fullPage })
}

/** Visible element → its trimmed text; fails with `what` when it does not show in time. */
async function expectVisible(locator, what) {
  try {
    await locator.first().waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS })
  } catch {
    fail(`${what} is not visible`)
  }
  return ((await locator.first().textContent()) || '').trim()
}

async function expectPath(page, expected) {
  try {
    await page.waitForURL((url) => url.pathname === expected, { timeout: STEP_TIMEOUT_MS })
  } catch {
    fail(`expected path ${expected}, got ${new URL(page.url()).pathname}`)
  }
}

/** Opens the landing page's role dialog, unless it is already open. */
async function openLoginDialog(page) {
  const dialog = page.getByRole('dialog', { name: '请选择登录角色' })
  if (!(await dialog.isVisible())) {
    if (new URL(page.url()).pathname !== '/') await page.goto(`${BASE}/`)
    await page.locator('[data-test="open-login"]').click()
  }
  await expectVisible(dialog, 'the dialog 请选择登录角色')
  return dialog
}

const MAIL_DIR = process.env.KAOWU_HOME ? path.join(process.env.KAOWU_HOME, 'mail') : ''
const DEMO_PASSWORD = 'kaowu2019'
// The candidate the registration case creates, for the password-reset case: { username, password, email }.
let registered = null
const DEMO = {
  org: { portal: 'org', username: '机械行业职业技能鉴定汽车北京奔驰站', name: '机械行业职业技能鉴定汽车北京奔驰站', role: '鉴定站' },
  assessor: { portal: 'expert', kind: '考评员', username: '422201199001176250', name: '铅笔', role: '考评员' },
  candidate: { portal: 'candidate', username: 'shentong', name: '申通', role: '考生' },
}

/** The native <input> of an Element Plus field marked data-test=name (the attribute lands on the input or its wrapper). */
function field(page, name) {
  return page.locator(`input[data-test="${name}"], [data-test="${name}"] input`).first()
}

/** A valid GB 11643 ID number (region 110105, a random birth date in 1970–1999, the MOD 11-2 check digit). */
function randomIdNumber() {
  const pad = (n, w) => String(n).padStart(w, '0')
  const birth = new Date(Date.UTC(1970 + Math.floor(Math.random() * 30), Math.floor(Math.random() * 12), 1 + Math.floor(Math.random() * 28)))
  const body = `110105${birth.getUTCFullYear()}${pad(birth.getUTCMonth() + 1, 2)}${pad(birth.getUTCDate(), 2)}${pad(Math.floor(Math.random() * 1000), 3)}`
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = [...body].reduce((acc, d, i) => acc + Number(d) * weights[i], 0)
  return body + '10X98765432'[sum % 11]
}

/** The same number with a wrong check digit. */
function breakCheckDigit(id) {
  const last = id[17] === '0' ? '1' : '0'
  return id.slice(0, 17) + last
}

/** The text body of an .eml file the mailer wrote (base64 or plain). */
function mailBody(file) {
  const raw = fs.readFileSync(file, 'utf8').replace(/\r\n/g, '\n')
  const split = raw.indexOf('\n\n')
  const head = raw.slice(0, split)
  const body = raw.slice(split + 2)
  return /Content-Transfer-Encoding:\s*base64/i.test(head) ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8') : body
}

/** Waits for a mail to `to` that is not among `seen` (file names) and returns its body. */
async function waitForMail(to, seen, timeoutMs = STEP_TIMEOUT_MS) {
  const until = Date.now() + timeoutMs
  while (Date.now() < until) {
    for (const name of fs.existsSync(MAIL_DIR) ? fs.readdirSync(MAIL_DIR) : []) {
      if (seen.has(name) || !name.endsWith('.eml')) continue
      const file = path.join(MAIL_DIR, name)
      if (fs.readFileSync(file, 'utf8').includes(`<${to}>`)) return mailBody(file)
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  fail(`no mail to ${to} appeared in ${MAIL_DIR}`)
}

/** Logs in through a portal's login page (org | expert | candidate) and waits for /app. */
async function loginThrough(page, portal, username, password = DEMO_PASSWORD, kind = null) {
  await page.goto(`${BASE}/login/${portal}`)
  await expectVisible(page.locator('[data-test="login-form"]'), 'the login form')
  if (kind) await page.locator('[data-test="login-form"]').getByText(kind, { exact: true }).click()
  await field(page, 'username').fill(username)
  await field(page, 'password').fill(password)
  await page.locator('[data-test="submit"]').click()
  try {
    await page.waitForURL((url) => url.pathname === '/app', { timeout: STEP_TIMEOUT_MS })
  } catch {
    const alert = await page.locator('[data-test="login-error"]').first().textContent().catch(() => '')
    fail(`login of ${username} did not reach /app (at ${new URL(page.url()).pathname}${alert ? `, the page says "${alert.trim()}"` : ''})`)
  }
}

/** The labels of the left menu, groups and entries, in order. */
async function menuLabels(page) {
  await expectVisible(page.locator('[data-test="app-menu"]'), 'the left menu')
  return (await page.locator('[data-test="app-menu"] .el-sub-menu__title span, [data-test="app-menu"] .el-menu-item span').allTextContents()).map((t) => t.trim())
}

/** Checks the home page of a logged-in demo account, its menu and takes the screenshot. */
async function checkHome(page, who, expectedMenu, shot) {
  const name = await expectVisible(page.locator('[data-test="user-name"]'), 'the user name in the header')
  if (name !== who.name) fail(`the header names "${name}", expected "${who.name}"`)
  const role = await expectVisible(page.locator('[data-test="user-role"]'), 'the role in the header')
  if (role !== who.role) fail(`the header's role reads "${role}", expected "${who.role}"`)
  const welcome = await expectVisible(page.locator('[data-test="home-who"]'), 'the welcome line')
  if (!welcome.includes(who.name)) fail(`the welcome line reads "${welcome}"`)
  // The last login (time and IP) from the login history; demo accounts may be on their first login.
  const last = await expectVisible(page.locator('[data-test="home-last-login"]'), 'the 上次登录 line')
  if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(last) && last !== '这是您的首次登录') fail(`上次登录 reads "${last}"`)
  const labels = await menuLabels(page)
  for (const label of expectedMenu) if (!labels.includes(label)) fail(`the menu lacks "${label}" (it has ${labels.join(', ')})`)
  await screenshot(page, shot)
}

async function logout(page) {
  await page.locator('[data-test="logout"]').click()
  await expectPath(page, '/')
}

// ---------------------------------------------------------------- cases

const cases = [
  {
    name: 'landing page shows 考务系统登录',
    async run(page) {
      await page.goto(`${BASE}/`)
      await expectVisible(page.getByText('机械工业职业技能鉴定指导中心', { exact: true }), 'the title 机械工业职业技能鉴定指导中心')
      await expectVisible(page.locator('.masthead').getByText('机械工业人才评价管理服务平台', { exact: true }), 'the title 机械工业人才评价管理服务平台')
      const button = await expectVisible(page.locator('[data-test="open-login"]'), 'the 考务系统登录 button')
      if (button !== '考务系统登录') fail(`the login button reads "${button}"`)
      for (const item of ['网站首页', '通知公告', '联系我们']) await expectVisible(page.getByRole('button', { name: item, exact: true }), `nav item ${item}`)
      await expectVisible(page.getByRole('tab', { name: '工作动态' }), 'the 工作动态 tab')
      await expectVisible(page.getByRole('button', { name: '查询' }), 'the certificate 查询 button')
      const lang = await page.getAttribute('html', 'lang')
      if (lang !== 'zh-CN') fail(`<html lang> is "${lang}"`)
      await screenshot(page, 'landing.png', true)
    },
  },
  {
    name: '考务系统登录 opens the three role choices',
    async run(page) {
      if (new URL(page.url()).pathname !== '/') await page.goto(`${BASE}/`)
      const dialog = await openLoginDialog(page)
      const expected = { 'login-org': '管理人员登录', 'login-expert': '考评/督导人员登录', 'login-candidate': '考生登录' }
      for (const [test, label] of Object.entries(expected)) {
        const text = await expectVisible(dialog.locator(`[data-test="${test}"]`), `the ${label} button`)
        if (text !== label) fail(`[data-test=${test}] reads "${text}", expected "${label}"`)
      }
      await page.waitForTimeout(400) // let the dialog's opening animation finish before the picture
      await screenshot(page, 'landing-login-dialog.png')
    },
  },
  {
    name: '管理人员登录 opens the management login page',
    async run(page) {
      const dialog = await openLoginDialog(page)
      await dialog.locator('[data-test="login-org"]').click()
      await expectPath(page, '/login/org')
      await expectVisible(page.getByRole('heading', { name: '管理登录' }), 'the 管理登录 heading')
      const placeholder = await page.locator('[data-test="username"] input, input[data-test="username"]').first().getAttribute('placeholder')
      if (placeholder !== '机构全称') fail(`the 用户名 placeholder is "${placeholder}"`)
      await expectVisible(page.getByRole('button', { name: '提交' }), 'the 提交 button')
      await expectVisible(page.getByRole('button', { name: '找回密码' }), 'the 找回密码 button')
      await screenshot(page, 'login-org.png')
    },
  },
  {
    name: 'login form checks its fields and shows the server answer',
    async run(page) {
      await page.goto(`${BASE}/login/expert`)
      await expectVisible(page.getByRole('heading', { name: '用户登录' }), 'the 用户登录 heading')
      await expectVisible(page.getByText('督导员', { exact: true }), 'the 考评员/督导员 choice')
      await page.getByRole('button', { name: '提交' }).click()
      await expectVisible(page.getByText('请输入用户名（身份证号）'), 'the 用户名 required message')
      await expectVisible(page.getByText('请输入密码', { exact: true }), 'the 密码 required message')
      await page.goto(`${BASE}/login/candidate`)
      // The run's one failed login: an unknown user (a new name each run, so the account throttle never applies).
      await page.locator('input[placeholder="用户名"]').fill(`e2e-nobody-${Date.now().toString(36)}`)
      await page.locator('input[type="password"]').fill('e2e-wrong-password')
      await page.locator('input[type="password"]').press('Enter') // Enter submits
      const message = await expectVisible(page.locator('[data-test="login-error"]'), 'the server error alert')
      // 401 says the same whether the account exists; 429 (too many failures from this address) counts down.
      if (message !== '用户名或密码错误' && !/请 .*秒后再试$/.test(message)) fail(`the server error alert reads "${message}"`)
      const password = await page.locator('input[type="password"]').inputValue()
      if (password) fail('the password stays in the form after a failed login')
      await screenshot(page, 'login-error.png')
    },
  },
  {
    name: 'an unauthenticated visit of /app goes back to /',
    async run(page) {
      await page.goto(`${BASE}/app`)
      await expectPath(page, '/')
      await expectVisible(page.locator('[data-test="open-login"]'), 'the 考务系统登录 button')
    },
  },
  {
    name: 'unknown route shows the 404 page',
    async run(page) {
      await page.goto(`${BASE}/no-such-page/e2e`)
      const text = await expectVisible(page.locator('[data-test="not-found"]'), 'the 404 page')
      if (!text.includes('404') || !text.includes('页面不存在')) fail(`the 404 page reads "${text}"`)
      await expectVisible(page.getByRole('button', { name: '返回首页' }), 'the 返回首页 link')
      await screenshot(page, 'not-found.png')
      await page.getByRole('button', { name: '返回首页' }).click()
      await expectPath(page, '/')
    },
  },
  {
    name: '管理人员登录 as 奔驰站 shows the 机构 menu and 首页',
    async run(page) {
      await loginThrough(page, 'org', DEMO.org.username)
      await checkHome(page, DEMO.org, ['首页', '我的账户', '账号管理', '登录历史'], 'home-org.png')
      // The 我的账户 group holds the account pages, in the manual's order.
      const group = page.locator('[data-test="menu-group-我的账户"]')
      const entries = (await group.locator('.el-menu-item span').allTextContents()).map((t) => t.trim())
      if (entries.indexOf('账号管理') < 0 || entries.indexOf('账号管理') > entries.indexOf('登录历史')) fail(`我的账户 lists ${entries.join(', ')}`)
      await page.locator('[data-test="menu-账号管理"]').click()
      await expectPath(page, '/app/account')
      const username = await field(page, 'account-username').inputValue()
      if (username !== DEMO.org.username) fail(`账号管理 shows the username "${username}"`)
      await expectVisible(field(page, 'pw-old'), 'the 旧密码 field')
      await expectVisible(field(page, 'pw-new2'), 'the 重复新密码 field')
      // The form checks the password rule before asking the server.
      await field(page, 'pw-old').fill(DEMO_PASSWORD)
      await field(page, 'pw-new').fill('short1')
      await field(page, 'pw-new2').fill('short2')
      await page.locator('[data-test="pw-submit"]').click()
      await expectVisible(page.getByText('密码至少 8 个字符'), 'the password rule message')
      await expectVisible(page.getByText('两次密码须一致'), 'the repeat-password message')
      await screenshot(page, 'account-org.png')
      await logout(page)
    },
  },
  {
    name: '考评/督导人员登录 as 考评员 shows the 考评督导 menu',
    async run(page) {
      await page.goto(`${BASE}/login/expert`)
      await expectVisible(page.getByText('督导员', { exact: true }), 'the 督导员 choice')
      await loginThrough(page, 'expert', DEMO.assessor.username, DEMO_PASSWORD, DEMO.assessor.kind)
      await checkHome(page, DEMO.assessor, ['首页', '修改密码', '登录历史'], 'home-assessor.png')
      const labels = await menuLabels(page)
      if (labels.includes('我的账户') || labels.includes('账号管理')) fail(`the assessor menu has the institutions' entries: ${labels.join(', ')}`)
      await page.locator('[data-test="menu-修改密码"]').click()
      await expectPath(page, '/app/account')
      await expectVisible(page.locator('.layout__crumbs').getByText('修改密码'), 'the 修改密码 breadcrumb')
      await logout(page)
    },
  },
  {
    name: '考生登录 as shentong shows the 考生 menu and 账号管理',
    async run(page) {
      await loginThrough(page, 'candidate', DEMO.candidate.username)
      await checkHome(page, DEMO.candidate, ['首页', '账号管理', '登录历史'], 'home-candidate.png')
      await page.locator('[data-test="menu-账号管理"]').click()
      await expectPath(page, '/app/account')
      const idNumber = await field(page, 'account-id-number').inputValue()
      if (idNumber !== '110226198908051235') fail(`账号管理 shows the ID number "${idNumber}"`)
      if (!(await field(page, 'account-id-number').isDisabled())) fail('the ID number is editable')
      const email = await field(page, 'account-email').inputValue()
      if (!email.includes('@')) fail(`the 邮箱 field holds "${email}"`)
      await expectVisible(field(page, 'account-phone'), 'the 手机号 field')
      await screenshot(page, 'account-candidate.png')
      await logout(page)
    },
  },
  {
    name: '考生注册 registers a new candidate, who logs in and sees the login in 登录历史',
    async run(page) {
      const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`
      const username = `e2e_${suffix}`.slice(0, 32)
      const password = `E2ePass${Math.floor(1000 + Math.random() * 9000)}`
      const idNumber = randomIdNumber()
      await page.goto(`${BASE}/login/candidate`)
      await page.locator('[data-test="register"]').click()
      await expectPath(page, '/register')
      await expectVisible(page.getByRole('heading', { name: '考生注册' }), 'the 考生注册 heading')
      await expectVisible(page.getByText('字母、数字、符号组合，用户名至少6位，必填'), 'the username tip')
      // The client-side checks: required fields, then the GB 11643 check digit.
      await page.locator('[data-test="reg-submit"]').click()
      await expectVisible(page.getByText('请输入用户名', { exact: true }), 'the 用户名 required message')
      await expectVisible(page.getByText('请输入身份证号', { exact: true }), 'the 身份证号 required message')
      await field(page, 'reg-id-number').fill(breakCheckDigit(idNumber))
      await field(page, 'reg-id-number').blur()
      await expectVisible(page.getByText(/身份证号不正确/), 'the ID number check message')

      await field(page, 'reg-username').fill(username)
      await field(page, 'reg-password').fill(password)
      await field(page, 'reg-password2').fill(password)
      await field(page, 'reg-id-number').fill(idNumber)
      await field(page, 'reg-real-name').fill('测试考生')
      await field(page, 'reg-email').fill(`${suffix}@e2e.kaowu.example`)
      await field(page, 'reg-phone').fill(`139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`)
      await field(page, 'reg-phone').press('Tab') // the last field checks itself on blur
      await screenshot(page, 'register.png', true)
      await page.locator('[data-test="reg-submit"]').click()

      // 注册后会自动跳转到登录界面, with the username filled in.
      await expectPath(page, '/login/candidate')
      await expectVisible(page.locator('[data-test="register-success"]'), 'the registration success message')
      const filled = await field(page, 'username').inputValue()
      if (filled !== username) fail(`the login form holds "${filled}", expected "${username}"`)
      await field(page, 'password').fill(password)
      await page.locator('[data-test="submit"]').click()
      await expectPath(page, '/app')
      const name = await expectVisible(page.locator('[data-test="user-name"]'), 'the user name in the header')
      if (name !== '测试考生') fail(`the header names "${name}"`)
      const last = await expectVisible(page.locator('[data-test="home-last-login"]'), 'the 上次登录 line')
      if (last !== '这是您的首次登录') fail(`a new account's 上次登录 reads "${last}"`)

      await page.locator('[data-test="menu-登录历史"]').click()
      await expectPath(page, '/app/logins')
      const table = page.locator('[data-test="login-history"] .el-table__body')
      const row = table.locator('tr').first()
      await expectVisible(row.getByText(username, { exact: true }), 'the new login in 登录历史')
      await expectVisible(row.getByText('成功', { exact: true }), 'the 成功 result')
      const cells = (await row.locator('td').allTextContents()).map((t) => t.trim())
      if (!cells.some((c) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(c))) fail(`the row has no 登录时间: ${cells.join(' | ')}`)
      if (!cells.some((c) => /^[0-9a-f.:]+$/i.test(c) && /[.:]/.test(c))) fail(`the row has no 登录IP: ${cells.join(' | ')}`)
      for (const header of ['用户名', '登录时间', '登录IP', '结果']) {
        await expectVisible(page.locator('[data-test="login-history"] th').getByText(header, { exact: true }), `the ${header} column`)
      }
      await screenshot(page, 'login-history.png')
      await logout(page)
      registered = { username, password, email: `${suffix}@e2e.kaowu.example` }
    },
  },
  {
    name: '找回密码 and 重设密码 pages answer without revealing accounts',
    async run(page) {
      await page.goto(`${BASE}/login/candidate`)
      await page.locator('[data-test="forgot"]').click()
      await expectPath(page, '/forgot')
      await field(page, 'forgot-username').fill('e2e-nobody-here')
      await page.locator('[data-test="forgot-submit"]').click()
      await expectVisible(page.locator('[data-test="forgot-done"]'), 'the neutral 找回密码 answer')
      await screenshot(page, 'forgot-done.png')
      await page.goto(`${BASE}/reset`)
      await expectVisible(page.locator('[data-test="reset-token-error"]'), 'the missing-token message')
      await page.goto(`${BASE}/reset?token=e2e-not-a-token`)
      await field(page, 'reset-password').fill('E2eReset123')
      await field(page, 'reset-password2').fill('E2eReset123')
      await page.locator('[data-test="reset-submit"]').click()
      await expectVisible(page.locator('[data-test="reset-token-error"]'), 'the invalid-token message')
    },
  },
  {
    name: '找回密码 mails a link that sets a new password for the new candidate',
    async run(page) {
      if (!registered) fail('needs the candidate of the registration case')
      if (!MAIL_DIR) {
        console.log('      (KAOWU_HOME is not set: the mailed link is not followed)')
        return
      }
      const seen = new Set(fs.existsSync(MAIL_DIR) ? fs.readdirSync(MAIL_DIR) : [])
      await page.goto(`${BASE}/forgot?from=candidate`)
      await field(page, 'forgot-username').fill(registered.username)
      await page.locator('[data-test="forgot-submit"]').click()
      await expectVisible(page.locator('[data-test="forgot-done"]'), 'the 找回密码 answer')
      const body = await waitForMail(registered.email, seen)
      const link = body.match(/https?:\/\/[^\s]*\/reset\?token=[A-Za-z0-9_-]+/)
      if (!link) fail(`the mail has no /reset?token= link: ${body.slice(0, 200)}`)
      const target = new URL(link[0])
      await page.goto(`${BASE}${target.pathname}${target.search}`)
      const password = `E2eNew${Math.floor(1000 + Math.random() * 9000)}`
      await field(page, 'reset-password').fill(password)
      await field(page, 'reset-password2').fill(password)
      await page.locator('[data-test="reset-submit"]').click()
      await expectVisible(page.locator('[data-test="reset-done"]'), 'the 密码已重设 answer')
      registered.password = password
      await screenshot(page, 'reset-done.png')
      // The link serves once.
      await page.goto(`${BASE}${target.pathname}${target.search}`)
      await field(page, 'reset-password').fill(`${password}x`)
      await field(page, 'reset-password2').fill(`${password}x`)
      await page.locator('[data-test="reset-submit"]').click()
      await expectVisible(page.locator('[data-test="reset-token-error"]'), 'the used-token message')
      // The new password logs in.
      await loginThrough(page, 'candidate', registered.username, password)
      await logout(page)
    },
  },
  {
    name: '账号管理 lets a candidate change 手机号 (checked before it is sent)',
    async run(page) {
      if (!registered) fail('needs the candidate of the registration case')
      await loginThrough(page, 'candidate', registered.username, registered.password)
      await page.locator('[data-test="menu-账号管理"]').click()
      await expectPath(page, '/app/account')
      await field(page, 'account-phone').fill('1234')
      await page.locator('[data-test="account-contact-submit"]').click()
      await expectVisible(page.getByText('请输入11位手机号'), 'the 手机号 rule message')
      const phone = `138${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`
      await field(page, 'account-phone').fill(phone)
      await page.locator('[data-test="account-contact-submit"]').click()
      await expectVisible(page.getByText('账号信息已保存'), 'the 已保存 message')
      await page.reload()
      await expectVisible(field(page, 'account-phone'), 'the 手机号 field after reload')
      try {
        await page.waitForFunction((p) => [...document.querySelectorAll('input[data-test="account-phone"], [data-test="account-phone"] input')].some((i) => i.value === p), phone, { timeout: STEP_TIMEOUT_MS })
      } catch {
        fail(`the 手机号 reads "${await field(page, 'account-phone').inputValue()}" after reload, expected ${phone}`)
      }
      await logout(page)
    },
  },
]

// ---------------------------------------------------------------- runner

function loadChromium() {
  const require = createRequire(path.join(REPO, 'web', 'package.json'))
  return require('playwright-core').chromium
}

async function main() {
  fs.mkdirSync(SHOTS, { recursive: true })
  let passed = 0
  let failed = 0
  let context
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaowu-e2e-'))
  try {
    const chromium = loadChromium()
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 800 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    })
    await withoutMotion(context)
  } catch (err) {
    console.error(`cannot start the browser (${CHROMIUM}): ${err.message}`)
    console.log(`e2e: 0 passed, ${cases.length} failed`)
    fs.rmSync(userDataDir, { recursive: true, force: true })
    process.exit(1)
  }

  const page = context.pages()[0] || (await context.newPage())
  page.setDefaultTimeout(STEP_TIMEOUT_MS)
  page.setDefaultNavigationTimeout(STEP_TIMEOUT_MS)

  // Problems the page reports; each case starts with an empty list and fails if it is not empty at its end.
  let problems = []
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return
    const where = msg.location()?.url || ''
    if (isApi(where)) return // "Failed to load resource" for an API answer such as 401/404 is expected
    problems.push(`console error: ${msg.text()}${where ? ` (${where})` : ''}`)
  })
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`))
  context.on('requestfailed', (req) => {
    if (!isApi(req.url())) problems.push(`request failed: ${req.url()} (${req.failure()?.errorText || 'unknown'})`)
  })
  context.on('response', (res) => {
    if (res.status() >= 400 && !isApi(res.url())) problems.push(`HTTP ${res.status()}: ${res.url()}`)
  })

  for (const c of cases) {
    problems = []
    const started = Date.now()
    let timer
    try {
      await Promise.race([
        c.run(page),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out after ${CASE_TIMEOUT_MS} ms`)), CASE_TIMEOUT_MS)
        }),
      ])
      await page.waitForTimeout(100) // late console errors of this case still count for it
      if (problems.length) fail(problems.join('\n      '))
      passed++
      console.log(`  ok    ${c.name} (${Date.now() - started} ms)`)
    } catch (err) {
      failed++
      // The reason, then whatever else the page reported during the case (if that was not the reason).
      // Playwright errors carry ANSI colours and a call log: keep the message itself.
      const reason = String(err.message).replace(/\x1b\[[0-9;]*m/g, '').split(/\n\s*Call log:/)[0].trim()
      const lines = [reason]
      if (problems.length && !err.message.includes(problems[0])) lines.push(...problems)
      console.log(`  FAIL  ${c.name} (${Date.now() - started} ms)\n      ${lines.join('\n      ')}`)
      const shot = `fail-${c.name.replace(/[^\w\u4e00-\u9fff]+/g, '-').replace(/^-|-$/g, '')}.png`
      await screenshot(page, shot).catch(() => {})
    } finally {
      clearTimeout(timer)
    }
  }

  await context.close().catch(() => {})
  fs.rmSync(userDataDir, { recursive: true, force: true })
  console.log(`e2e: ${passed} passed, ${failed} failed`)
  process.exit(failed ? 1 : 0)
}

main().catch((err) => {
  console.error(err)
  console.log('e2e: 0 passed, 1 failed')
  process.exit(1)
})
