// words.mjs - issue 15's words in the SPA (items 3 and 7): 账号管理 lets a candidate change 真实姓名 with the
// server's rule in the same words, its two cards have distinct titles, a login on the wrong portal says
// which portal, and a session that ends on the server (idle timeout, frozen org) lands on the login page
// with the reason.
//
//   node test/e2e/words.mjs         (standalone, like plan.mjs)
//   KAOWU_URL, KAOWU_SCREENSHOTS, KAOWU_CHROMIUM, KAOWU_HOME, KAOWU_PG_PORT as for the other scripts
//
// The candidate is registered by the script itself; its session is aged with psql (the state an idle
// browser reaches after 30 minutes) and, for the frozen case, ended the way freezing an org ends it (the
// freeze itself is API-tested in test_words.py). The business clock is never moved.
// The last line is `e2e-words: N passed, N failed`; exit code 1 on failure.
import { runSuite, BASE, PASSWORD, fail, screenshot, expectVisible, expectPath, field, idNumber, psql } from './_runner.mjs'

const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`
const USERNAME = `e2e_words_${suffix}`.slice(0, 32)
const CANDIDATE_PASSWORD = `Words-${suffix}`
const QIANBI = '422201199001176250' // 铅笔, an assessor
const REAL_NAME_RULE = '真实姓名应为 2–30 个字，只能包含汉字、字母、间隔号“·”和空格'

/** Registers the script's candidate through the API. */
async function register() {
  const res = await fetch(`${BASE}/api/candidates/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ username: USERNAME, password: CANDIDATE_PASSWORD, id_number: idNumber(), real_name: '测试考生', email: `${suffix}@e2e.kaowu.example`, phone: '13912345678' }),
  })
  if (res.status !== 201) fail(`registering ${USERNAME}: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`)
}

async function loginCandidate(page) {
  await page.goto(`${BASE}/login/candidate`)
  await field(page, 'username').fill(USERNAME)
  await field(page, 'password').fill(CANDIDATE_PASSWORD)
  await page.locator('[data-test="submit"]').click()
  await expectPath(page, (p) => p === '/app', '/app after the candidate logs in')
  // the home page's own requests finish first: one of them answering 401 after the fixture below
  // would move the page to the login page before the script clicks (seen once in CI)
  await page.waitForLoadState('networkidle')
}

/** A session changed by psql reaches the workers' session caches by NOTIFY, which is asynchronous. */
const NOTIFY_DELIVERY_MS = 500

const accountOf = `(SELECT id FROM accounts WHERE kind = 'candidate' AND username = '${USERNAME}')`

const cases = [
  {
    name: 'item 7: an assessor on the 督导员 login is told to use the 考评员 one',
    async run(page) {
      await page.goto(`${BASE}/login/expert?kind=supervisor`)
      await field(page, 'username').fill(QIANBI)
      await field(page, 'password').fill(PASSWORD)
      await page.locator('[data-test="submit"]').click()
      const text = await expectVisible(page.locator('[data-test="login-error"]'), 'the login error')
      if (!text.includes('该账号不是督导员账号，请从考评员入口登录')) fail(`the wrong-portal login reads "${text}"`)
    },
  },
  {
    name: 'item 3 and 7: 账号管理 edits 真实姓名 with the server rule; the two cards have their own titles',
    async run(page) {
      await register()
      await loginCandidate(page)
      await page.goto(`${BASE}/app/account`)
      await expectVisible(page.locator('[data-test="account-contact"]'), 'the contact form')
      const titles = await page.locator('.account__title').allTextContents()
      if (titles.length !== 2 || titles[0] === titles[1]) fail(`the account cards are titled ${JSON.stringify(titles)}`)
      const name = field(page, 'account-real-name')
      if (await name.isDisabled()) fail('真实姓名 is not editable')
      await name.fill('<b>x</b>')
      await name.blur()
      await expectVisible(page.getByText(REAL_NAME_RULE), 'the 真实姓名 rule on the client')
      await name.fill('测试·考生')
      await page.locator('[data-test="account-contact-submit"]').click()
      await expectVisible(page.getByText('账号信息已保存'), 'the 已保存 message')
      const saved = psql(`SELECT real_name FROM candidates c JOIN accounts a ON a.candidate_id = c.id WHERE a.id = ${accountOf}`)
      if (saved !== '测试·考生') fail(`the server keeps "${saved}"`)
      await screenshot(page, 'words-account.png')
    },
  },
  {
    name: 'item 7: an idle session lands on the login page with 登录已超时',
    async run(page) {
      if (!page.url().includes('/app')) await loginCandidate(page)
      // fixture: the session as an idle browser leaves it after 31 minutes
      psql(`UPDATE sessions SET created_at = created_at - interval '31 minutes', last_seen = last_seen - interval '31 minutes' WHERE account_id = ${accountOf}`)
      await page.waitForTimeout(NOTIFY_DELIVERY_MS)
      await page.locator('[data-test="menu-登录历史"]').click()
      await expectPath(page, (p) => p === '/login/candidate', 'the candidate login page')
      const text = await expectVisible(page.locator('[data-test="session-ended"]'), 'the session-ended notice')
      if (!text.includes('登录已超时，请重新登录')) fail(`the login page says "${text}"`)
      await screenshot(page, 'words-idle.png')
    },
  },
  {
    name: 'item 7: a session ended by freezing says 账号已被冻结',
    async run(page) {
      await loginCandidate(page)
      // fixture: what freezing an org does to its sessions (lib/org.c org_set_frozen)
      psql(`WITH gone AS (DELETE FROM sessions WHERE account_id = ${accountOf} RETURNING token_hash) INSERT INTO session_ends (token_hash, reason, at) SELECT token_hash, 'frozen', now() FROM gone`)
      await page.waitForTimeout(NOTIFY_DELIVERY_MS)
      await page.locator('[data-test="menu-账号管理"]').click()
      await expectPath(page, (p) => p === '/login/candidate', 'the candidate login page')
      const text = await expectVisible(page.locator('[data-test="session-ended"]'), 'the session-ended notice')
      if (!text.includes('账号已被冻结')) fail(`the login page says "${text}"`)
    },
  },
]

runSuite('e2e-words', cases, { caseTimeoutMs: 20000 })
