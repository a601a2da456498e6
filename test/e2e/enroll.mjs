// enroll.mjs - 考试报名 on a phone (390×844), end to end: the station's batch is brought to 报名中 through the
// API (station submits, 北汽分中心, staff01 and director01 approve); a new candidate registers in the browser,
// logs in, goes through 考生承诺书 → 选择批次 → 报名信息 (with image uploads) → 预览 → 提交, downloads the
// 个人申报表 PDF and uploads the stamped form; every candidate page fits the screen. Then the station opens the
// roster and rejects the enrollment with a reason (R14), and the candidate sees 报名被拒绝 and the reason.
//
//   KAOWU_URL=http://127.0.0.1:8080 node test/e2e/enroll.mjs
import fs from 'node:fs'
import { BASE, PASSWORD, BENZ, BEIQI, runSuite, expectVisible, expectPath, field, fail, screenshot, login, logout, choose, confirmBox, expectNoHorizontalScroll, idNumber, apiLogin, freeExamDay, png } from './_runner.mjs'

const VIEWPORT = { width: 390, height: 844 }
const WELD = '汽车焊装生产线操作工' // industry occupation in the 奔驰站's scope
const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`
const REASON = `工作年限不足（e2e ${suffix}）`

// ---------------------------------------------------------------- API setup (staff side)


/** Beijing date `days` from today as YYYY-MM-DD. */

/** A batch of the 奔驰站 with one 中级 汽车焊装生产线操作工 item, approved by the whole chain → { batchId, itemId }. */
async function registeringBatch() {
  const benz = await apiLogin('org', BENZ)
  const occupations = (await benz.get('/api/ref/occupations')).items
  const occ = occupations.find((o) => o.name === WELD)
  if (!occ) fail(`no occupation ${WELD}`)
  // a day on which an assessor is free (a person serves one batch a day)
  const { examDate, assessors: eligible } = await freeExamDay(benz, occ.id)
  if (!eligible.length) fail('no eligible assessor for the item')
  const item = {
    category: 'industry',
    in_annual_plan: false,
    dual_cert: false,
    exam_date: examDate,
    level: 4,
    occupation_id: occ.id,
    count: 8,
    standard_equipped: true,
    chief_assessor_id: eligible[0].id,
    assessor_ids: [eligible[0].id],
  }
  const batch = await benz.post('/api/batches', { items: [item] })
  await benz.post(`/api/batches/${batch.id}/actions/submit`)
  await (await apiLogin('org', BEIQI)).post(`/api/batches/${batch.id}/actions/approve`, { comment: '同意' })
  await (await apiLogin('org', 'staff01')).post(`/api/batches/${batch.id}/actions/approve`, { comment: '同意' })
  const done = await (await apiLogin('org', 'director01')).post(`/api/batches/${batch.id}/actions/approve`, { comment: '同意' })
  if (done.status !== 'registering') fail(`the batch is ${done.status} after the director's approval`)
  return { batchId: batch.id, itemId: done.items[0].id }
}

// ---------------------------------------------------------------- test data


/** A real w×h PNG (a solid colour) the server can decode. */
const image = (name, rgb) => ({ name, mimeType: 'image/png', buffer: png(120, 160, rgb) })

// ---------------------------------------------------------------- the cases

const state = { batchId: 0, itemId: 0, enrollmentId: 0, username: `e2e_en_${suffix}`.slice(0, 32), password: `E2ePass${Math.floor(1000 + Math.random() * 9000)}`, id: idNumber() }

async function fits(page, what) {
  await page.waitForLoadState('networkidle')
  await expectNoHorizontalScroll(page, what)
}

async function candidateLogin(page) {
  await page.goto(`${BASE}/login/candidate`)
  await field(page, 'username').fill(state.username)
  await field(page, 'password').fill(state.password)
  await page.locator('[data-test="submit"]').click()
  await expectPath(page, (p) => p === '/app', '/app after the candidate login')
}

/** Fills an Element Plus date picker by typing the date. */
async function typeDate(page, name, value) {
  const input = field(page, name)
  await input.click()
  await input.fill(value)
  await input.press('Enter')
  await page.keyboard.press('Escape')
}

const cases = [
  {
    name: 'setup: a batch of the 奔驰站 in 报名中 (through the API)',
    run: async () => Object.assign(state, await registeringBatch()),
  },
  {
    name: 'a new candidate registers and logs in on a phone',
    run: async (page) => {
      await page.goto(`${BASE}/register`)
      await fits(page, '考生注册')
      await field(page, 'reg-username').fill(state.username)
      await field(page, 'reg-password').fill(state.password)
      await field(page, 'reg-password2').fill(state.password)
      await field(page, 'reg-id-number').fill(state.id)
      await field(page, 'reg-real-name').fill('报名考生')
      await field(page, 'reg-email').fill(`${suffix}@e2e.kaowu.example`)
      await field(page, 'reg-phone').fill(`139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`)
      await field(page, 'reg-phone').press('Tab')
      await page.locator('[data-test="reg-submit"]').click()
      await expectPath(page, (p) => p === '/login/candidate', 'the candidate login after registering')
      await fits(page, '考生登录')
      await field(page, 'password').fill(state.password)
      await page.locator('[data-test="submit"]').click()
      await expectPath(page, (p) => p === '/app', '/app after the login')
      await fits(page, '首页')
    },
  },
  {
    name: '考试报名: 承诺书, 选择批次, the form with uploads, 预览, 提交',
    run: async (page) => {
      await page.locator('[data-test="menu-toggle"]').click()
      await page.locator('[data-test="app-menu-drawer"] [data-test="menu-考试报名"]').click()
      await expectPath(page, (p) => p === '/app/enroll', '/app/enroll')
      const promise = page.locator('[data-test="enroll-promise"]')
      await expectVisible(promise.locator('[data-test="promise-id"]', { hasText: state.id }), 'the ID number in the 考生承诺书')
      await expectVisible(promise.locator('[data-test="promise-name"]', { hasText: '报名考生' }), 'the name in the 考生承诺书')
      await fits(page, '考生承诺书')
      await page.locator('[data-test="promise-agree"]').click()

      await expectVisible(page.locator('[data-test="enroll-choose"]'), 'the 选择批次 step')
      await choose(page, page.locator('[data-test="org"]'), BENZ)
      const item = page.locator(`[data-test="item-${state.itemId}"]`)
      await expectVisible(item, 'the open item of the new batch')
      await item.click()
      await fits(page, '选择批次')
      await page.locator('[data-test="choose-next"]').click()

      const form = page.locator('[data-test="enroll-form"]')
      await expectVisible(form, 'the 报名信息 form')
      // client rules: an empty form names its fields
      await page.locator('[data-test="to-preview"]').click()
      await expectVisible(form.getByText('请上传考生照片'), 'the photo required message')
      await choose(page, page.locator('[data-test="education"]'), '高中')
      await field(page, 'employer').fill('北京汽车厂')
      await choose(page, page.locator('[data-test="employer_type"]'), '国有企业')
      await field(page, 'occupation_now').fill('焊装工')
      await typeDate(page, 'work_start', '2012-07-01')
      await field(page, 'years_in_trade').fill('8')
      await typeDate(page, 'history-from', '2012-07-01')
      await field(page, 'history-place').fill('北京汽车厂')
      await field(page, 'history-dept').fill('焊装车间')
      await field(page, 'history-work').fill('焊装')
      // a prior certificate half filled is refused with the manual's rule
      await field(page, 'prior_no').fill('123')
      await page.locator('[data-test="to-preview"]').click()
      await expectVisible(form.getByText('证书编号应为 16 位数字（本平台颁发的证书为 19 位）'), 'the certificate number rule')
      await expectVisible(form.getByText('已取得证书的五项须全部填写或全部不填：请填写发证单位'), 'the all-or-none rule')
      await field(page, 'prior_no').fill('')
      await page.locator('[data-test="upload-photo"] input[type=file]').setInputFiles(image('photo.png'))
      await expectVisible(page.locator('[data-test="upload-photo"] [data-test="image-preview"]'), 'the photo preview')
      await page.locator('[data-test="upload-id-card"] input[type=file]').setInputFiles(image('id.png', [200, 200, 200]))
      await expectVisible(page.locator('[data-test="upload-id-card"] [data-test="image-preview"]'), 'the ID card preview')
      await page.locator('[data-test="condition-2"]').click()
      await fits(page, '报名信息')
      await page.locator('[data-test="to-preview"]').click()

      await expectVisible(page.locator('[data-test="enroll-preview"]'), 'the 预览')
      await expectVisible(page.locator('[data-test="preview-hint"]'), 'the eligibility hint')
      await fits(page, '预览')
      await screenshot(page, 'enroll-preview.png', true)
      await page.locator('[data-test="enroll-submit"]').click()
      await confirmBox(page, '确定提交')
      await expectPath(page, (p) => /^\/app\/my-enrollments\/\d+$/.test(p), 'the enrollment detail after 提交')
      state.enrollmentId = Number(new URL(page.url()).pathname.split('/').pop())
      await expectVisible(page.locator('[data-test="detail-status"]'), 'the status')
      await fits(page, '报名详情')
    },
  },
  {
    name: '上传盖章后报名表: 添加图片 → 开始上传, shown afterwards',
    run: async (page) => {
      if (!state.enrollmentId) fail('needs the enrollment of the previous case')
      await page.goto(`${BASE}/app/my-enrollments/${state.enrollmentId}`)
      await page.locator('[data-test="stamped-input"]').setInputFiles([image('p1.png', [250, 0, 0]), image('p2.png', [0, 200, 0])])
      await page.locator('[data-test="stamped-upload"]').click()
      await page.locator('[data-test="stamped-image"]').nth(1).waitFor({ state: 'visible' })
      await fits(page, '报名详情 with the stamped form')
    },
  },
  {
    name: '我的报名 lists it, on a phone',
    run: async (page) => {
      await page.goto(`${BASE}/app/my-enrollments`)
      await expectVisible(page.locator(`[data-test="enrollment-${state.enrollmentId}"]`), 'the enrollment in 我的报名')
      await fits(page, '我的报名')
      await logout(page)
    },
  },
  {
    name: '导出 PDF: the 个人申报表 downloads as a PDF',
    run: async (page) => {
      if (!state.enrollmentId) fail('needs the enrollment')
      await candidateLogin(page)
      const res = await page.request.get(`${BASE}/api/enrollments/${state.enrollmentId}/form.pdf`)
      if (res.status() !== 200) fail(`form.pdf: HTTP ${res.status()}`)
      const body = await res.body()
      if (body.subarray(0, 5).toString() !== '%PDF-') fail('form.pdf is not a PDF')
      await page.goto(`${BASE}/app/my-enrollments/${state.enrollmentId}`)
      await expectVisible(page.locator('[data-test="export-pdf"]'), 'the 导出 PDF button')
      await logout(page)
    },
  },
  {
    name: 'R14: 北汽分中心 sees the roster and the details, without 拒绝',
    run: async (page) => {
      await login(page, BEIQI)
      await page.goto(`${BASE}/app/batches/${state.batchId}/items/${state.itemId}/roster`)
      await expectVisible(page.locator('[data-test="roster-table"]').getByText(state.id), 'the candidate in the roster')
      if (await page.locator(`[data-test="roster-reject-${state.enrollmentId}"]`).count()) fail('the level-2 org is offered 拒绝')
      await page.locator(`[data-test="roster-open-${state.enrollmentId}"]`).click()
      await expectVisible(page.locator('[data-test="enrollment-detail"] [data-test="image-preview"]'), 'the candidate photo in the detail')
      if (await page.locator('[data-test="reject"]').count()) fail('the level-2 org is offered 拒绝 in the detail')
      await logout(page)
    },
  },
  {
    name: 'R14: the station opens the roster and rejects with a reason',
    run: async (page) => {
      await login(page, BENZ)
      await page.goto(`${BASE}/app/batches/${state.batchId}`)
      await page.locator(`[data-test="roster-${state.itemId}"]`).click()
      await expectPath(page, (p) => p.endsWith(`/items/${state.itemId}/roster`), 'the roster')
      const table = page.locator('[data-test="roster-table"]')
      await expectVisible(table.getByText(state.id), 'the candidate in the roster')
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test="roster-export"]').click()])
      if (!download.suggestedFilename().endsWith('.xlsx')) fail(`the roster downloads as ${download.suggestedFilename()}`)
      const bytes = fs.readFileSync(await download.path())
      if (bytes.subarray(0, 2).toString() !== 'PK') fail('the roster export is not an xlsx (zip)')
      await page.locator(`[data-test="roster-reject-${state.enrollmentId}"]`).click()
      const box = page.locator('.el-message-box')
      await expectVisible(box, 'the reject dialog')
      await box.locator('textarea').fill(REASON)
      await box.getByRole('button', { name: '拒绝' }).click()
      await expectVisible(page.locator(`[data-test="roster-status-${state.enrollmentId}"]`).getByText(/拒绝/), 'the rejected status')
      await logout(page)
    },
  },
  {
    name: 'the candidate sees 报名被拒绝 and the reason',
    run: async (page) => {
      await candidateLogin(page)
      await page.goto(`${BASE}/app/my-enrollments`)
      const card = page.locator(`[data-test="enrollment-${state.enrollmentId}"]`)
      const text = await expectVisible(card, 'the enrollment in 我的报名')
      if (!text.includes('报名被拒绝') || !text.includes(REASON)) fail(`我的报名 reads "${text}"`)
      await fits(page, '我的报名 after the rejection')
      await screenshot(page, 'enroll-rejected.png', true)
      await logout(page)
    },
  },
]

await runSuite('e2e-enroll', cases, {
  viewport: VIEWPORT,
  caseTimeoutMs: 60000,
  ignoreRequest: (url) => url.startsWith('blob:'), // the export's object URL is revoked after the download
  afterFailure: async (context) => {
    await context.clearCookies()
  },
})
