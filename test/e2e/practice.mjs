// practice.mjs - 考试服务 on a phone (390×844): a new candidate (registered through the API) opens 报名意向表 from
// the menu, states an intention (职业工种, 级别, 区域, 预计报考时间) and sees it under 我的报名意向; then opens 自评自测,
// enters the demo 组卷方案 (汽车装调工 中级/四级, 90 questions), answers a few questions against the countdown,
// hands in with the confirmation and reads the result: score, right answers marked, the record in the history.
// Every page must fit the screen. Finally staff01 sees the intention counted in 报名意向汇总.
//
//   KAOWU_URL=http://127.0.0.1:8080 node test/e2e/practice.mjs
import { BASE, runSuite, expectVisible, expectPath, field, fail, screenshot, confirmBox, choose, expectNoHorizontalScroll, login, idNumber } from './_runner.mjs'

const VIEWPORT = { width: 390, height: 844 }
const OCCUPATION = '汽车装调工'
const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`
const state = { username: `pr_${suffix}`, password: `Pr4ctice-${suffix}` }


/** Next month as { value: 'YYYY-MM', text: 'YYYY年M月' } (Beijing time). */
function nextMonth() {
  const now = new Date(Date.now() + 8 * 3600e3)
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1))
  return { value: d.toISOString().slice(0, 7), text: `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月` }
}

async function fits(page, what) {
  await page.waitForLoadState('networkidle')
  await expectNoHorizontalScroll(page, what)
}

/** Opens a menu entry through the phone's menu drawer. */
async function openFromDrawer(page, label, pathname) {
  await page.locator('[data-test="menu-toggle"]').click()
  const entry = page.locator(`[data-test="app-menu-drawer"] [data-test="menu-${label}"]`)
  await expectVisible(entry, `the menu entry ${label}`)
  await entry.click()
  await expectPath(page, (p) => p === pathname, pathname)
}

const cases = [
  {
    name: 'setup: a new candidate (through the API) logs in on a phone',
    run: async (page) => {
      const res = await fetch(`${BASE}/api/candidates/register`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({
          username: state.username,
          password: state.password,
          id_number: idNumber(),
          real_name: '自测考生',
          email: `${suffix}@e2e.kaowu.example`,
          phone: `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
        }),
      })
      if (res.status !== 201 && res.status !== 200) fail(`registration: HTTP ${res.status} ${await res.text()}`)
      await page.goto(`${BASE}/login/candidate`)
      await field(page, 'username').fill(state.username)
      await field(page, 'password').fill(state.password)
      await page.locator('[data-test="submit"]').click()
      await expectPath(page, (p) => p === '/app', '/app after the candidate login')
    },
  },
  {
    name: 'the candidate states an intention in 报名意向表',
    run: async (page) => {
      await openFromDrawer(page, '报名意向表', '/app/intentions')
      const form = page.locator('[data-test="intention-form"]')
      await expectVisible(form, 'the intention form')
      await fits(page, '报名意向表')
      // submitting empty names every field
      await page.locator('[data-test="intention-submit"]').click()
      await expectVisible(form.getByText('请选择职业工种'), 'the missing occupation message')
      await choose(page, form.locator('[data-test="occupation"]'), OCCUPATION)
      await choose(page, form.locator('[data-test="level"]'), '中级/四级')
      await form.locator('[data-test="region-picker"] .el-cascader').click()
      const node = page.locator('.el-cascader-node:visible', { hasText: '北京市' }).first()
      await expectVisible(node, 'the province 北京市')
      await node.locator('.el-radio').click()
      await form.locator('.kw-section-title').click() // closes the cascader's panel
      const month = nextMonth()
      const input = form.getByPlaceholder('请选择年月')
      await input.click()
      await input.fill(month.text)
      await input.press('Enter')
      await form.locator('.kw-section-title').click()
      await page.locator('[data-test="intention-submit"]').click()
      const mine = page.locator('[data-test="my-intentions"]')
      await expectVisible(mine.getByText(`${OCCUPATION} · 中级/四级`), 'the intention under 我的报名意向')
      await expectVisible(mine.getByText('北京市'), 'its region')
      await expectVisible(mine.getByText(month.text), 'its month')
      await fits(page, '报名意向表 with the intention')
      await screenshot(page, 'practice-intention.png')
    },
  },
  {
    name: 'the candidate takes a 自评自测 to its result',
    run: async (page) => {
      await openFromDrawer(page, '自评自测', '/app/self-tests')
      const option = page.locator('[data-test="self-test-options"] [data-test^="option-"]', { hasText: OCCUPATION }).filter({ hasText: '中级/四级' }).first()
      await expectVisible(option, 'the 汽车装调工 中级 self-test')
      await fits(page, '自评自测')
      await option.locator('[data-test="self-test-start"]').click()
      await confirmBox(page, '开始')
      await expectPath(page, (p) => /^\/app\/self-tests\/\d+$/.test(p), 'the self-test page')
      const clock = page.locator('[data-test="countdown"]')
      await expectVisible(clock, 'the countdown')
      const first = await clock.textContent()
      if (!/剩余 (59|60):\d\d/.test(first)) fail(`countdown reads "${first}"`)
      // answer a single-choice, a multi-choice and a true/false question
      await page.locator('[data-test="q-1"] .el-radio').first().click()
      const multi = page.locator('[data-test^="q-"]', { hasText: '多选题' }).first()
      await multi.locator('.el-checkbox').nth(0).click()
      await multi.locator('.el-checkbox').nth(1).click()
      const judge = page.locator('[data-test^="q-"]', { hasText: '判断题' }).first()
      await judge.locator('.el-radio', { hasText: '对' }).click()
      await expectVisible(page.getByText('已答 3 / 90'), 'the answered count')
      await fits(page, 'the self-test paper')
      await screenshot(page, 'practice-paper.png')
      await page.locator('[data-test="self-test-submit"]').click()
      await expectVisible(page.locator('.el-message-box').getByText('还有 87 题未作答'), 'the hand-in confirmation')
      await confirmBox(page, '交卷')
      const result = page.locator('[data-test="self-test-result"]')
      await expectVisible(result, 'the result')
      const score = await result.locator('[data-test="self-test-score"]').textContent()
      if (!/^\s*\d+(\.\d)? 分\s*$/.test(score)) fail(`the score reads "${score}"`)
      await expectVisible(result.getByText('不合格'), 'the verdict')
      await expectVisible(page.locator('[data-test="q-1"] [data-test="q-answer"]'), 'the right answer of question 1')
      await expectVisible(page.locator('[data-test="q-90"] [data-test="q-mark"]', { hasText: '错误' }), 'an unanswered question marked wrong')
      await fits(page, 'the self-test result')
      await screenshot(page, 'practice-result.png')
      await result.getByText('返回自评自测').click()
      await expectPath(page, (p) => p === '/app/self-tests', 'back to 自评自测')
      await expectVisible(page.locator('[data-test="self-test-history"]').getByText(score.trim()), 'the record in the history')
    },
  },
  {
    name: 'staff01 sees the intention in 报名意向汇总',
    run: async (page) => {
      await page.locator('[data-test="logout"]').click()
      await expectPath(page, (p) => p === '/', 'the landing page after 退出')
      await login(page, 'staff01')
      await page.goto(`${BASE}/app/intentions/summary`)
      const table = page.locator('[data-test="summary-table"]')
      await expectVisible(table.getByText(OCCUPATION).first(), 'the occupation row in the summary')
      await expectVisible(table.locator('[data-test="forward-110000"]'), 'the forward button of 北京市')
      await screenshot(page, 'practice-summary.png')
    },
  },
]

await runSuite('e2e-practice', cases, { viewport: VIEWPORT })
