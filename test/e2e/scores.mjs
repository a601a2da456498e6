// scores.mjs - exam day to approved scores (issue 11, manual 第一部分 二(二) 成绩 and 第二部分), one browser
// context per person: the 奔驰站 enters the scores (评定 computed) and files the 鉴定报告; the chief assessor
// (考评组长) files the 考评报告 and the other assessor confirms it (提交并确认, "考评员已全部确认"); the chief
// supervisor (督导组长) files the 督导报告 and the supervisor confirms it; the station submits the scores
// (提交成绩); 北汽分中心, staff01 (who also finds the batch in the 考试日历) and director01 approve; the
// candidate then reads the grade in 我的报名 (成绩查询).
//
//   KAOWU_URL=http://127.0.0.1:8080 KAOWU_HOME=… KAOWU_PG_PORT=… node test/e2e/scores.mjs
//
// The batch is set up through the API (application, review, supervisors, one enrollment) on a day its
// people are free (freeExamDay: a person serves one batch a day). fixture: the phases this script is not
// about (提交报名 and its review) are jumped with psql, which also moves the exam day to today (R19: scores
// from the exam day on). The cases build on each other.
import { BASE, PASSWORD, screenshot, BENZ, BEIQI, runSuite, expectVisible, expectPath, fail, field, login, logout, confirmBox, idNumber, apiLogin, png, psql, freeExamDay, extraBrowser } from './_runner.mjs'

const WELD = '汽车焊装生产线操作工'
const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`
const state = {}
const problems = [] // page and console errors of the experts' contexts
let experts = null // the second browser: one context per assessor / supervisor
const expertPages = [] // for screenshots when a case fails

function todayBeijing() {
  return new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10)
}

/** The batch (奔驰站, one 中级 焊装 item: chief 笔尖, assessors 笔尖 胜利; 张玉霞 / 臧真刚) and one candidate. */
async function setup() {
  const benz = await apiLogin('org', BENZ)
  const staff = await apiLogin('org', 'staff01')
  const occ = (await benz.get('/api/ref/occupations')).items.find((o) => o.name === WELD)
  if (!occ) fail(`no occupation ${WELD}`)
  const day = await freeExamDay(benz, occ.id, { count: 2, names: ['笔尖', '胜利'], supervisors: 2, center: staff, supervisorNames: ['张玉霞', '臧真刚'] })
  const [chief, other] = ['笔尖', '胜利'].map((n) => day.assessors.find((p) => p.name === n))
  const [chiefSup, sup] = ['张玉霞', '臧真刚'].map((n) => day.supervisors.find((p) => p.name === n))
  const item = { category: 'industry', in_annual_plan: false, dual_cert: false, exam_date: day.examDate, level: 4, occupation_id: occ.id, count: 8,
    standard_equipped: true, chief_assessor_id: chief.id, assessor_ids: [chief.id, other.id] }
  const batch = await benz.post('/api/batches', { items: [item] })
  const itemId = batch.items[0].id
  await benz.post(`/api/batches/${batch.id}/actions/submit`)
  await (await apiLogin('org', BEIQI)).post(`/api/batches/${batch.id}/actions/approve`, { comment: '同意' })
  await staff.put(`/api/batches/${batch.id}/items/${itemId}/supervisors`, { chief_supervisor_id: chiefSup.id, supervisor_ids: [sup.id] })
  await staff.post(`/api/batches/${batch.id}/actions/approve`, { comment: '同意' })
  const done = await (await apiLogin('org', 'director01')).post(`/api/batches/${batch.id}/actions/approve`, { comment: '同意' })
  if (done.status !== 'registering') fail(`the batch is ${done.status} after the director's approval`)
  // one candidate enrolls (API)
  const username = `e2e_sc_${suffix}`.slice(0, 32)
  const password = `E2ePass${Math.floor(1000 + Math.random() * 9000)}`
  const reg = await fetch(`${BASE}/api/candidates/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ username, password, id_number: idNumber(), real_name: '成绩考生', email: `${suffix}@e2e.kaowu.example`, phone: '13912345678' }),
  })
  if (reg.status >= 300) fail(`register: HTTP ${reg.status}`)
  const cand = await apiLogin('candidate', username, password)
  const photo = (await cand.upload('photo.png', png())).id
  const idCard = (await cand.upload('photo.png', png())).id
  const enrollment = await cand.post('/api/enrollments', {
    batch_item_id: itemId, identity: 'employed', education: '高中', employer: '北京汽车厂', employer_type: '国有企业', occupation_now: '焊装工',
    work_start: '2010-07-01', years_in_trade: 7, history: [{ from: '2010-07-01', to: null, place: '北京汽车厂', dept: '焊装车间', work: '焊装' }],
    prior_cert: null, photo_file_id: photo, id_card_file_id: idCard, condition: '2', dual_cert: false,
  })
  // fixture: 提交报名 and its review are phase 2's (e2e phase2); the exam day is today
  psql(`UPDATE batches SET status = 'examining', status_param = NULL WHERE id = ${batch.id}`)
  psql(`UPDATE batch_items SET exam_date = '${todayBeijing()}' WHERE id = ${itemId}`)
  const id = (p) => p.id_number
  Object.assign(state, { batchId: batch.id, itemId, name: batch.name, enrollmentId: enrollment.id, candidate: { username, password },
    chief: id(chief) || '', other: id(other) || '', chiefSup: id(chiefSup) || '', sup: id(sup) || '' })
  for (const k of ['chief', 'other', 'chiefSup', 'sup']) if (!state[k]) fail(`no ID number for ${k}`)
  state.reports = `/app/batches/${batch.id}/items/${itemId}/reports`
}

/** An expert logs in in its own context and opens the item from 考评/督导报告. */
async function expertOpens(idNumber, kind) {
  const page = await experts.newPage()
  expertPages.push(page)
  await page.goto(`${BASE}/login/expert?kind=${kind}`)
  await expectVisible(page.locator('[data-test="login-form"]'), 'the expert login form')
  await field(page, 'username').fill(idNumber)
  await field(page, 'password').fill(PASSWORD)
  await page.locator('[data-test="submit"]').click()
  await expectPath(page, (p) => p === '/app', `/app after the login of ${idNumber}`)
  await page.goto(`${BASE}/app/expert-tasks`)
  const card = page.locator('.expert-tasks__card', { hasText: state.name })
  await expectVisible(card, 'the item among 考评/督导报告')
  await card.locator('a').first().click()
  await expectPath(page, (p) => p === state.reports, 'the item reports page')
  await expectVisible(page.locator('[data-test="item-reports"]'), 'the item reports')
  return page
}

async function pickDate(page, name, value) {
  const input = field(page, name)
  await input.click()
  await input.fill(value)
  await input.press('Enter')
  await page.keyboard.press('Escape')
}

/** A textarea of an el-input (type textarea) named by data-test. */
function textarea(page, name) {
  return page.locator(`textarea[data-test="${name}"], [data-test="${name}"] textarea`).first()
}

function checkProblems() {
  if (problems.length) fail(problems.splice(0).join('\n      '))
}

async function approve(page, user) {
  await login(page, user)
  await page.goto(`${BASE}/app/batches/${state.batchId}`)
  await expectVisible(page.locator('[data-test="batch-detail-items"]'), 'the batch detail')
  await page.locator('[data-test="batch-comment"] textarea, textarea[data-test="batch-comment"]').first().fill('同意')
  await page.locator('[data-test="batch-approve"]').click()
  await confirmBox(page, '审核')
  await page.locator('[data-test="batch-approve"]').waitFor({ state: 'detached' })
  await logout(page)
}

const cases = [
  { name: 'setup: an approved batch, its people free that day, one enrolled candidate (API); exam day today (fixture)', run: setup },
  {
    name: '奔驰站: 成绩管理 — scores 85 / 78 give 合格; the 鉴定报告 is filed',
    run: async (page) => {
      await login(page, BENZ)
      await page.goto(`${BASE}/app/batches/${state.batchId}`)
      await page.locator(`[data-test="scores-${state.itemId}"]`).click()
      await expectPath(page, (p) => p === state.reports, 'the item reports page')
      await field(page, `score-theory-${state.enrollmentId}`).fill('85')
      await field(page, `score-practical-${state.enrollmentId}`).fill('78')
      await field(page, `score-practical-${state.enrollmentId}`).press('Tab')
      await page.locator('[data-test="scores-save"]').click()
      await expectVisible(page.locator(`[data-test="score-grade-${state.enrollmentId}"]`, { hasText: '合格' }), '评定 合格 (from the lower score)')
      await pickDate(page, 'appraisal-theory-date', todayBeijing())
      await pickDate(page, 'appraisal-practical-date', todayBeijing())
      await textarea(page, 'appraisal-text').fill('考试过程无异常情况发生。')
      await page.locator('[data-test="appraisal-submit"]').click()
      await expectVisible(page.locator('[data-test="appraisal-card"]', { hasText: '通过率100%' }), 'the 鉴定报告 summary')
    },
  },
  {
    name: '考评组长 files the 考评报告 and the other assessor confirms (考评员已全部确认)',
    run: async () => {
      experts = await extraBrowser(problems)
      const [chief, other] = await Promise.all([expertOpens(state.chief, 'assessor'), expertOpens(state.other, 'assessor')])
      await pickDate(chief, 'assessment-date', todayBeijing())
      await field(chief, 'assessment-place').fill('北京奔驰考场')
      await textarea(chief, 'assessment-text').fill('考评过程正常。')
      await chief.locator('[data-test="assessment-submit"]').click()
      await expectVisible(chief.locator('[data-test="assessment-card"]', { hasText: '考评过程正常。' }), 'the filed 考评报告')
      await other.reload()
      await expectVisible(other.locator('[data-test="assessment-card"]', { hasText: '考评过程正常。' }), 'the 考评报告 for the assessor')
      await textarea(other, 'assessment-comment').fill('同意')
      await other.locator('[data-test="assessment-confirm"]').click()
      await expectVisible(other.locator('[data-test="assessment-all-confirmed"]', { hasText: '考评员已全部确认' }), '考评员已全部确认')
      await chief.reload()
      await expectVisible(chief.locator('[data-test="assessment-confirmed"]', { hasText: '胜利' }), '已确认的考评员 for the chief')
      checkProblems()
    },
  },
  {
    name: '督导组长 files the 督导报告 and the supervisor confirms',
    run: async () => {
      const [chief, other] = await Promise.all([expertOpens(state.chiefSup, 'supervisor'), expertOpens(state.sup, 'supervisor')])
      await pickDate(chief, 'supervision-date', todayBeijing())
      await field(chief, 'supervision-place').fill('北京奔驰考场')
      await field(chief, 'supervision-order').fill('正常')
      await field(chief, 'supervision-assessor-work').fill('符合要求')
      await field(chief, 'supervision-paper-use').fill('符合要求')
      await textarea(chief, 'supervision-text').fill('考试过程正常，无考试事故发生')
      await chief.locator('[data-test="supervision-submit"]').click()
      await expectVisible(chief.locator('[data-test="supervision-card"]', { hasText: '无考试事故发生' }), 'the filed 督导报告')
      await other.reload()
      await textarea(other, 'supervision-comment').fill('同意')
      await other.locator('[data-test="supervision-confirm"]').click()
      await expectVisible(other.locator('[data-test="supervision-confirmed"]', { hasText: '臧真刚' }), '已确认的督导员')
      checkProblems()
      await experts.close()
      experts = null
    },
  },
  {
    name: '奔驰站: 提交成绩 → 等待北汽分中心审核成绩',
    run: async (page) => {
      await page.goto(`${BASE}/app/batches/${state.batchId}`)
      await page.locator('[data-test="batch-submit-scores"]').click()
      await confirmBox(page, '提交成绩')
      await expectVisible(page.locator('[data-test="batch-detail-status"]', { hasText: '审核成绩' }), 'the status 等待…审核成绩')
      await logout(page)
    },
  },
  { name: '北汽分中心 approves the scores', run: (page) => approve(page, BEIQI) },
  {
    name: 'staff01: 考试日历 shows the batch on its exam day with its people',
    run: async (page) => {
      await login(page, 'staff01')
      await page.locator('[data-test="menu-考试日历"]').click()
      await expectPath(page, (p) => p === '/app/calendar', 'the 考试日历')
      const item = page.locator(`[data-test="calendar-day-${todayBeijing()}"] [data-test="calendar-item"]`, { hasText: state.name })
      const text = await expectVisible(item, 'the batch on its exam day')
      for (const who of ['笔尖', '胜利', '张玉霞', '臧真刚']) if (!text.includes(who)) fail(`the calendar item does not name ${who}: ${text}`)
      await logout(page)
    },
  },
  { name: 'staff01 approves the scores', run: (page) => approve(page, 'staff01') },
  { name: 'director01 approves the scores', run: (page) => approve(page, 'director01') },
  {
    name: 'the candidate reads 成绩查询 in 我的报名: 理论 85，实操 78，评定 合格',
    run: async (page) => {
      await page.goto(`${BASE}/login/candidate`)
      await field(page, 'username').fill(state.candidate.username)
      await field(page, 'password').fill(state.candidate.password)
      await page.locator('[data-test="submit"]').click()
      await expectPath(page, (p) => p === '/app', '/app after the candidate login')
      await page.goto(`${BASE}/app/my-enrollments`)
      const score = await expectVisible(page.locator('[data-test="enrollment-score"]:visible', { hasText: '合格' }), 'the grade in 我的报名')
      if (!score.includes('理论 85') || !score.includes('实操 78')) fail(`成绩查询 reads "${score}"`)
      await logout(page)
    },
  },
]

await runSuite('e2e-scores', cases, {
  caseTimeoutMs: 30000,
  afterFailure: async (context) => {
    for (const [i, p] of expertPages.splice(0).entries()) await screenshot(p, `fail-scores-expert-${i}.png`).catch(() => {})
    await context.clearCookies()
  },
  cleanup: () => experts?.close(),
})
