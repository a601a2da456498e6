// End-to-end checks of the kaowu SPA in Debian's headless chromium, with playwright-core from web/node_modules.
//
//   node test/e2e/run.mjs            (after `npm ci` in web/ and with the site up)
//   KAOWU_URL=http://127.0.0.1:8080  base URL of the site (nginx, or any server of web/dist)
//   KAOWU_SCREENSHOTS=dir            where screenshots go (default test/e2e/screenshots)
//   KAOWU_CHROMIUM=/usr/bin/chromium the browser binary (never downloaded)
//
// Each case runs in turn with its own timeout and catches its own failure. Console errors, page
// errors and failed requests other than /api/ calls fail the case (that is how CSP violations show).
// The last line is `e2e: N passed, N failed`; the exit code is 1 when any case failed.
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const REPO = path.resolve(HERE, '..', '..')
const BASE = (process.env.KAOWU_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '')
const SHOTS = path.resolve(process.env.KAOWU_SCREENSHOTS || path.join(HERE, 'screenshots'))
const CHROMIUM = process.env.KAOWU_CHROMIUM || '/usr/bin/chromium'
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
      await page.locator('input[placeholder="用户名"]').fill('e2e-nobody')
      await page.locator('input[type="password"]').fill('e2e-wrong-password')
      await page.locator('input[type="password"]').press('Enter') // Enter submits
      const message = await expectVisible(page.locator('[data-test="login-error"]'), 'the server error alert')
      if (!message) fail('the server error alert is empty')
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
