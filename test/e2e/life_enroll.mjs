// life_enroll.mjs - batch phase 2 as one life (issue 10): a batch of the 奔驰站 in 报名中 (phase 1 through the
// API) with one candidate enrolled through the API; a new candidate registers in the browser and enrolls at
// 390×844 (考生承诺书 → 选择批次 → 报名信息 with image uploads → 预览 → 提交), uploads the stamped form and downloads
// the 个人申报表 PDF, whose text (pdftotext) holds the name, ID number, occupation and level. The station opens
// the roster, exports it, rejects the new candidate with a reason (R14; the candidate sees 报名被拒绝 and the
// reason), is told what is missing, uploads the theory (xlsx) and practical (docx) papers and submits (R18);
// 北汽分中心 sees the roster without 拒绝, deletes a question and approves, staff01 and director01 approve with
// 考生资质及试卷审核通过, and the batch reads 报名资质审核通过，考试及成绩录入中.
//
//   KAOWU_URL=http://127.0.0.1:8080 node test/e2e/life_enroll.mjs
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { BASE, BENZ, BEIQI, WELD, runSuite, expectVisible, expectPath, field, fail, screenshot, login, logout, choose, confirmBox, expectNoHorizontalScroll, idNumber, png, registeringBatch, enrolledCandidate } from './_runner.mjs'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const PHONE = { width: 390, height: 844 }
const DESK = { width: 1440, height: 900 }
const NAME = '报名考生'
const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`
const REASON = `工作年限不足（e2e ${suffix}）`
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'kaowu-life-enroll-'))

const state = { batchId: 0, itemId: 0, enrollmentId: 0, username: `e2e_en_${suffix}`.slice(0, 32), password: `E2ePass${Math.floor(1000 + Math.random() * 9000)}`, id: idNumber() }

/** A real PNG the server decodes, as a file chooser payload. */
const image = (name, rgb) => ({ name, mimeType: 'image/png', buffer: png(120, 160, rgb) })

/** The theory paper (91 questions by the template) and a practical docx as files to upload. */
function paperFiles() {
  const theory = path.join(TMP, '理论试卷.xlsx')
  fs.writeFileSync(theory, execFileSync('python3', [path.join(HERE, '..', 'api', 'paper_files.py'), 'theory', '91']))
  const practical = path.join(TMP, '实操试卷.docx')
  fs.writeFileSync(practical, execFileSync('python3', ['-c', 'import sys; sys.path.insert(0, sys.argv[1]); from test_file import docx; sys.stdout.buffer.write(docx())', path.join(HERE, '..', 'api')]))
  return { theory, practical }
}

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

async function openBatch(page) {
  await page.goto(`${BASE}/app/batches/${state.batchId}`)
  await expectVisible(page.locator('[data-test="batch-detail-items"]'), 'the batch detail')
}

/** user approves the registration phase with 考生资质及试卷审核通过 (already logged in). */
async function approve(page, user) {
  await openBatch(page)
  await page.locator('[data-test="batch-comment"] textarea, textarea[data-test="batch-comment"]').first().fill('同意')
  const button = page.locator('[data-test="batch-approve"]')
  const label = await expectVisible(button, `the approve button for ${user}`)
  if (!label.includes('考生资质及试卷审核通过')) fail(`the approve button reads ${label}`)
  await button.click()
  await confirmBox(page, '审核')
  await button.waitFor({ state: 'detached', timeout: 10000 })
}

const cases = [
  {
    name: 'setup: a batch of the 奔驰站 in 报名中 with one candidate enrolled (API), the paper files',
    run: async () => {
      Object.assign(state, await registeringBatch(), paperFiles())
      await enrolledCandidate(state.itemId, '试卷考生')
    },
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
      await field(page, 'reg-real-name').fill(NAME)
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
    name: '考试报名 on a phone: 承诺书, 选择批次, the form with uploads, 预览, 提交',
    run: async (page) => {
      await page.locator('[data-test="menu-toggle"]').click()
      await page.locator('[data-test="app-menu-drawer"] [data-test="menu-考试报名"]').click()
      await expectPath(page, (p) => p === '/app/enroll', '/app/enroll')
      const promise = page.locator('[data-test="enroll-promise"]')
      await expectVisible(promise.locator('[data-test="promise-id"]', { hasText: state.id }), 'the ID number in the 考生承诺书')
      await expectVisible(promise.locator('[data-test="promise-name"]', { hasText: NAME }), 'the name in the 考生承诺书')
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
      // a prior certificate half filled is refused with the manual's rule (R13)
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
      await page.locator('[data-test="enroll-submit"]').click()
      await confirmBox(page, '确定提交')
      await expectPath(page, (p) => /^\/app\/my-enrollments\/\d+$/.test(p), 'the enrollment detail after 提交')
      state.enrollmentId = Number(new URL(page.url()).pathname.split('/').pop())
      await expectVisible(page.locator('[data-test="detail-status"]'), 'the status')
      await fits(page, '报名详情')
    },
  },
  {
    name: '个人申报表 PDF (name, ID number, occupation, level in its text), the stamped form, 我的报名',
    run: async (page) => {
      if (!state.enrollmentId) fail('needs the enrollment of the previous case')
      await expectVisible(page.locator('[data-test="export-pdf"]'), 'the 导出 PDF button')
      const res = await page.request.get(`${BASE}/api/enrollments/${state.enrollmentId}/form.pdf`)
      if (res.status() !== 200) fail(`form.pdf: HTTP ${res.status()}`)
      const file = path.join(TMP, 'form.pdf')
      fs.writeFileSync(file, await res.body())
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
      const e = await (await page.request.get(`${BASE}/api/enrollments/${state.enrollmentId}`)).json()
      for (const want of [NAME, state.id, WELD, e.item.level_text.split('/')[0]]) if (!text.includes(want)) fail(`the PDF's text lacks ${want}`)
      // 上传盖章后报名表: 添加图片 → 开始上传
      await page.locator('[data-test="stamped-input"]').setInputFiles([image('p1.png', [250, 0, 0]), image('p2.png', [0, 200, 0])])
      await page.locator('[data-test="stamped-upload"]').click()
      await page.locator('[data-test="stamped-image"]').nth(1).waitFor({ state: 'visible' })
      await fits(page, '报名详情 with the stamped form')
      await page.goto(`${BASE}/app/my-enrollments`)
      await expectVisible(page.locator(`[data-test="enrollment-${state.enrollmentId}"]`), 'the enrollment in 我的报名')
      await fits(page, '我的报名')
      await logout(page)
    },
  },
  {
    name: '奔驰站: the roster, its export, 拒绝 with a reason (R14); 提交报名 names what is missing',
    run: async (page) => {
      await page.setViewportSize(DESK)
      await login(page, BENZ)
      await openBatch(page)
      await page.locator(`[data-test="roster-${state.itemId}"]`).click()
      await expectPath(page, (p) => p.endsWith(`/items/${state.itemId}/roster`), 'the roster')
      await expectVisible(page.locator('[data-test="roster-table"]').getByText(state.id), 'the candidate in the roster')
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test="roster-export"]').click()])
      if (!download.suggestedFilename().endsWith('.xlsx')) fail(`the roster downloads as ${download.suggestedFilename()}`)
      if (fs.readFileSync(await download.path()).subarray(0, 2).toString() !== 'PK') fail('the roster export is not an xlsx (zip)')
      await page.locator(`[data-test="roster-reject-${state.enrollmentId}"]`).click()
      const box = page.locator('.el-message-box')
      await expectVisible(box, 'the reject dialog')
      await box.locator('textarea').fill(REASON)
      await box.getByRole('button', { name: '拒绝' }).click()
      await expectVisible(page.locator(`[data-test="roster-status-${state.enrollmentId}"]`).getByText(/拒绝/), 'the rejected status')
      await openBatch(page)
      await expectVisible(page.locator('[data-test="batch-trail"]').getByText(`拒绝了考生 ${NAME} 的报名`), 'the trail line of the rejection')
      await page.locator('[data-test="batch-submit-registration"]').click()
      await confirmBox(page, '提交报名')
      await expectVisible(page.locator('.el-message', { hasText: '缺理论知识试卷 1 套' }), 'the 422 list of what is missing')
    },
  },
  {
    name: '奔驰站: 查看试卷, upload the theory and practical papers, 提交报名 (R18)',
    run: async (page) => {
      await page.locator(`[data-test="papers-${state.itemId}"]`).click()
      await expectPath(page, (p) => p === `/app/batches/${state.batchId}/items/${state.itemId}/papers`, 'the papers page')
      await page.locator('[data-test="papers-upload-theory"]').setInputFiles(state.theory)
      await expectVisible(page.locator('[data-test="papers-theory-1"]', { hasText: '91 题' }), 'the theory paper of set 1')
      await page.locator('[data-test="papers-upload-practical"]').setInputFiles(state.practical)
      await expectVisible(page.locator('[data-test="papers-complete"]'), '试卷已齐全')
      await page.locator('[data-test="papers-back"]').click()
      await page.locator('[data-test="batch-submit-registration"]').click()
      await confirmBox(page, '提交报名')
      await expectVisible(page.locator('[data-test="batch-detail-status"]', { hasText: '审核报名资质' }), 'the status 等待…审核报名资质')
      await logout(page)
    },
  },
  {
    name: 'the candidate sees 报名被拒绝 and the reason, on a phone',
    run: async (page) => {
      await page.setViewportSize(PHONE)
      await candidateLogin(page)
      await page.goto(`${BASE}/app/my-enrollments`)
      const text = await expectVisible(page.locator(`[data-test="enrollment-${state.enrollmentId}"]`), 'the enrollment in 我的报名')
      if (!text.includes('报名被拒绝') || !text.includes(REASON)) fail(`我的报名 reads "${text}"`)
      await fits(page, '我的报名 after the rejection')
      await screenshot(page, 'life-enroll-rejected.png', true)
      await logout(page)
      await page.setViewportSize(DESK)
    },
  },
  {
    name: '北汽分中心: the roster without 拒绝, deletes a question, 考生资质及试卷审核通过',
    run: async (page) => {
      await login(page, BEIQI)
      await page.goto(`${BASE}/app/batches/${state.batchId}/items/${state.itemId}/roster`)
      await expectVisible(page.locator('[data-test="roster-table"]').getByText(state.id), 'the candidate in the roster')
      if (await page.locator('[data-test^="roster-reject-"]').count()) fail('the level-2 org is offered 拒绝')
      await page.goto(`${BASE}/app/batches/${state.batchId}/items/${state.itemId}/papers`)
      await page.locator('[data-test="papers-theory-1"]').click()
      await expectVisible(page.locator('[data-test="papers-questions-title"]', { hasText: '共 91 题' }), 'the 91 questions')
      await page.locator('[data-test="papers-question-delete"]').first().click()
      await confirmBox(page, '删除')
      await expectVisible(page.locator('[data-test="papers-questions-title"]', { hasText: '共 90 题' }), 'the 90 questions left')
      await approve(page, BEIQI)
      await logout(page)
    },
  },
  {
    name: 'staff01 and director01 approve: 报名资质审核通过，考试及成绩录入中',
    run: async (page) => {
      for (const user of ['staff01', 'director01']) {
        await login(page, user)
        await approve(page, user)
        if (user === 'director01') await expectVisible(page.locator('[data-test="batch-detail-status"]', { hasText: '报名资质审核通过，考试及成绩录入中' }), 'the final status')
        await logout(page)
      }
    },
  },
]

await runSuite('e2e-life-enroll', cases, {
  viewport: PHONE,
  caseTimeoutMs: 45000,
  ignoreRequest: (url) => url.startsWith('blob:'), // the export's object URL is revoked after the download
  afterFailure: async (context) => {
    await context.clearCookies()
  },
  cleanup: async () => fs.rmSync(TMP, { recursive: true, force: true }),
})
