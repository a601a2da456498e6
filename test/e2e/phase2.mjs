// phase2.mjs - batch phase 2 in the browser: a batch of the 奔驰站 in 报名中 and one candidate enrolled (through
// the API, for speed); the station opens 查看试卷, uploads the theory paper (xlsx by the template) and the
// practical paper (docx), and 提交报名 after its confirmation; 北汽分中心 opens the paper and deletes a question,
// then 北汽分中心, staff01 and director01 approve with "考生资质及试卷审核通过"; the batch reads
// "报名资质审核通过，考试及成绩录入中".
//
//   KAOWU_URL=http://127.0.0.1:8080 node test/e2e/phase2.mjs
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { BASE, PASSWORD, BENZ, BEIQI, runSuite, expectVisible, expectPath, fail, login, logout, confirmBox, idNumber, apiLogin, freeExamDay, png } from './_runner.mjs'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const WELD = '汽车焊装生产线操作工'
const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'kaowu-phase2-'))

// ---------------------------------------------------------------- API setup




/** A 40×50 PNG the server decodes. */

/** 报名中 batch of the 奔驰站 with one 中级 item and one enrolled candidate → { batchId, itemId, name }. */
async function registeringBatchWithCandidate() {
  const benz = await apiLogin('org', BENZ)
  const occ = (await benz.get('/api/ref/occupations')).items.find((o) => o.name === WELD)
  if (!occ) fail(`no occupation ${WELD}`)
  // a day on which an assessor is free (a person serves one batch a day)
  const { examDate, assessors: eligible } = await freeExamDay(benz, occ.id)
  const item = { category: 'industry', in_annual_plan: false, dual_cert: false, exam_date: examDate, level: 4, occupation_id: occ.id, count: 8, standard_equipped: true, chief_assessor_id: eligible[0].id, assessor_ids: [eligible[0].id] }
  const batch = await benz.post('/api/batches', { items: [item] })
  await benz.post(`/api/batches/${batch.id}/actions/submit`)
  await (await apiLogin('org', BEIQI)).post(`/api/batches/${batch.id}/actions/approve`, { comment: '同意' })
  await (await apiLogin('org', 'staff01')).post(`/api/batches/${batch.id}/actions/approve`, { comment: '同意' })
  const done = await (await apiLogin('org', 'director01')).post(`/api/batches/${batch.id}/actions/approve`, { comment: '同意' })
  const itemId = done.items[0].id
  // a candidate enrolls (API)
  const username = `e2e_p2_${suffix}`.slice(0, 32)
  const password = `E2ePass${Math.floor(1000 + Math.random() * 9000)}`
  const reg = await fetch(`${BASE}/api/candidates/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ username, password, id_number: idNumber(), real_name: '试卷考生', email: `${suffix}@e2e.kaowu.example`, phone: '13912345678' }),
  })
  if (reg.status >= 300) fail(`register: HTTP ${reg.status}`)
  const cand = await apiLogin('candidate', username, password)
  const photo = (await cand.upload('photo.png', png())).id
  const idCard = (await cand.upload('photo.png', png())).id
  await cand.post('/api/enrollments', {
    batch_item_id: itemId, identity: 'employed', education: '高中', employer: '北京汽车厂', employer_type: '国有企业', occupation_now: '焊装工',
    work_start: '2010-07-01', years_in_trade: 7, history: [{ from: '2010-07-01', to: null, place: '北京汽车厂', dept: '焊装车间', work: '焊装' }],
    prior_cert: null, photo_file_id: photo, id_card_file_id: idCard, condition: '2', dual_cert: false,
  })
  return { batchId: batch.id, itemId, name: batch.name }
}

/** The theory paper (91 questions by the template) and a practical docx as files to upload. */
function paperFiles() {
  const theory = path.join(TMP, '理论试卷.xlsx')
  fs.writeFileSync(theory, execFileSync('python3', [path.join(HERE, '..', 'api', 'paper_files.py'), 'theory', '91']))
  const practical = path.join(TMP, '实操试卷.docx')
  fs.writeFileSync(practical, execFileSync('python3', ['-c', 'import sys; sys.path.insert(0, sys.argv[1]); from test_file import docx; sys.stdout.buffer.write(docx())', path.join(HERE, '..', 'api')]))
  return { theory, practical }
}

// ---------------------------------------------------------------- the cases

const state = {}

async function openBatch(page) {
  await page.goto(`${BASE}/app/batches/${state.batchId}`)
  await expectVisible(page.locator('[data-test="batch-detail-items"]'), 'the batch detail')
}

async function approve(page, user, loggedIn = false) {
  if (!loggedIn) await login(page, user)
  await openBatch(page)
  await page.locator('[data-test="batch-comment"] textarea, textarea[data-test="batch-comment"]').first().fill('同意')
  const button = page.locator('[data-test="batch-approve"]')
  await expectVisible(button, `the approve button for ${user}`)
  if (!(await button.textContent()).includes('考生资质及试卷审核通过')) fail('the approve button does not read 考生资质及试卷审核通过')
  await button.click()
  await confirmBox(page, '审核')
  await page.locator('[data-test="batch-approve"]').waitFor({ state: 'detached', timeout: 10000 })
  await logout(page)
}

const cases = [
  {
    name: 'setup: a batch in 报名中 with one enrolled candidate (API), and the paper files',
    run: async () => Object.assign(state, await registeringBatchWithCandidate(), paperFiles()),
  },
  {
    name: '奔驰站: 提交报名 without papers names what is missing',
    run: async (page) => {
      await login(page, BENZ)
      await openBatch(page)
      await page.locator('[data-test="batch-submit-registration"]').click()
      await confirmBox(page, '提交报名')
      await expectVisible(page.locator('.el-message', { hasText: '缺理论知识试卷 1 套' }), 'the 422 list of what is missing')
    },
  },
  {
    name: '奔驰站: 查看试卷, upload the theory and practical papers',
    run: async (page) => {
      await page.locator(`[data-test="papers-${state.itemId}"]`).click()
      await expectPath(page, (p) => p === `/app/batches/${state.batchId}/items/${state.itemId}/papers`, 'the papers page')
      await expectVisible(page.locator('[data-test="papers-missing"]', { hasText: '缺理论知识试卷 1 套' }), 'what is missing')
      await page.locator('[data-test="papers-upload-theory"]').setInputFiles(state.theory)
      await expectVisible(page.locator('[data-test="papers-theory-1"]', { hasText: '91 题' }), 'the theory paper of set 1')
      await page.locator('[data-test="papers-upload-practical"]').setInputFiles(state.practical)
      await expectVisible(page.locator('[data-test="papers-complete"]'), '试卷已齐全')
    },
  },
  {
    name: '奔驰站: 提交报名 after the confirmation',
    run: async (page) => {
      await page.locator('[data-test="papers-back"]').click()
      await page.locator('[data-test="batch-submit-registration"]').click()
      await confirmBox(page, '提交报名')
      await expectVisible(page.locator('[data-test="batch-detail-status"]', { hasText: '审核报名资质' }), 'the status 等待…审核报名资质')
      await logout(page)
    },
  },
  {
    name: '北汽分中心: 查看试卷, delete one question (confirmed), 考生资质及试卷审核通过',
    run: async (page) => {
      await login(page, BEIQI)
      await page.goto(`${BASE}/app/batches/${state.batchId}/items/${state.itemId}/papers`)
      await page.locator('[data-test="papers-theory-1"]').click()
      await expectVisible(page.locator('[data-test="papers-questions-title"]', { hasText: '共 91 题' }), 'the 91 questions')
      await page.locator('[data-test="papers-question-delete"]').first().click()
      await confirmBox(page, '删除')
      await expectVisible(page.locator('[data-test="papers-questions-title"]', { hasText: '共 90 题' }), 'the 90 questions left')
      await approve(page, BEIQI, true) // 考生资质及试卷审核通过
    },
  },
  { name: 'staff01 approves', run: (page) => approve(page, 'staff01') },
  { name: 'director01 approves', run: (page) => approve(page, 'director01') },
  {
    name: '奔驰站 sees 报名资质审核通过，考试及成绩录入中',
    run: async (page) => {
      await login(page, BENZ)
      await openBatch(page)
      await expectVisible(page.locator('[data-test="batch-detail-status"]', { hasText: '报名资质审核通过，考试及成绩录入中' }), 'the final status')
      await logout(page)
    },
  },
]

await runSuite('e2e-phase2', cases, {
  caseTimeoutMs: 30000,
  ignoreRequest: (url) => url.startsWith('blob:'),
  afterFailure: async (context) => {
    await context.clearCookies()
  },
  cleanup: async () => fs.rmSync(TMP, { recursive: true, force: true }),
})
