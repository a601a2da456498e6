// certificate.mjs - 完成证书制作 to public verification, end to end: a batch of the 奔驰站 is brought to 报名中
// through the API, a fresh candidate enrolls through the API, and - fixture: until phase 4 (scores) lands - psql
// writes a passing score and moves the batch to 证书制作中. Then the center clicks 完成证书制作 on the batch, the
// station opens 查看证书 and sees the certificate, the QR code's URL opens the public /verify page (phone size),
// which shows 证书真实有效, and the landing page's 证书查询 finds it with the name partly masked.
//
//   KAOWU_URL=http://127.0.0.1:8080 KAOWU_HOME=… KAOWU_PG_PORT=… node test/e2e/certificate.mjs
import { BASE, PASSWORD, BENZ, BEIQI, runSuite, expectVisible, fail, field, login, logout, confirmBox, idNumber, apiLogin, freeExamDay, psql, png } from './_runner.mjs'

const WELD = '汽车焊装生产线操作工'
const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`
const HOLDER = '证书测试'



const beijingDay = (days) => new Date(Date.now() + 8 * 3600e3 + days * 86400e3).toISOString().slice(0, 10)



const state = { batchId: 0, certId: 0, certNo: '', verifyUrl: '' }

/** 报名中 batch + one enrolled candidate with a passing score, the batch in 证书制作中 (fixture). */
async function certifyingBatch() {
  const benz = await apiLogin('org', BENZ)
  const occ = (await benz.get('/api/ref/occupations')).items.find((o) => o.name === WELD)
  if (!occ) fail(`no occupation ${WELD}`)
  // a day on which an assessor is free (a person serves one batch a day)
  const { examDate, assessors: eligible } = await freeExamDay(benz, occ.id)
  if (!eligible.length) fail('no eligible assessor')
  const item = { category: 'industry', in_annual_plan: false, dual_cert: false, exam_date: examDate, level: 4, occupation_id: occ.id,
    count: 8, standard_equipped: true, chief_assessor_id: eligible[0].id, assessor_ids: [eligible[0].id] }
  const batch = await benz.post('/api/batches', { items: [item] })
  await benz.post(`/api/batches/${batch.id}/actions/submit`)
  await (await apiLogin('org', BEIQI)).post(`/api/batches/${batch.id}/actions/approve`, { comment: '同意' })
  await (await apiLogin('org', 'staff01')).post(`/api/batches/${batch.id}/actions/approve`, { comment: '同意' })
  const done = await (await apiLogin('org', 'director01')).post(`/api/batches/${batch.id}/actions/approve`, { comment: '同意' })
  if (done.status !== 'registering') fail(`the batch is ${done.status} after the director's approval`)

  const username = `e2e_ct_${suffix}`.slice(0, 32)
  const password = `E2ePass${Math.floor(1000 + Math.random() * 9000)}`
  const reg = await fetch(`${BASE}/api/candidates/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ username, password, id_number: idNumber(), real_name: HOLDER, email: `${username}@kaowu.example`, phone: '13912345678' }),
  })
  if (reg.status >= 300) fail(`register: HTTP ${reg.status} ${await reg.text()}`)
  const cand = await apiLogin('candidate', username, password)
  const photo = await cand.upload('photo.png', png(120, 160))
  const idCard = await cand.upload('id.png', png(160, 100))
  const e = await cand.post('/api/enrollments', {
    batch_item_id: done.items[0].id, identity: 'employed', education: '高中', employer: '北京汽车厂', employer_type: '国有企业',
    occupation_now: '焊装工', work_start: beijingDay(-365 * 8), years_in_trade: 7,
    history: [{ from: '2010-07-01', to: null, place: '北京汽车厂', dept: '焊装车间', work: '焊装' }],
    prior_cert: null, photo_file_id: photo.id, id_card_file_id: idCard.id, condition: '2', dual_cert: false,
  })
  psql(`INSERT INTO scores (enrollment_id, item_id, theory_score, practical_score, absent, grade, updated_at)
        VALUES (${e.id}, ${done.items[0].id}, 80.0, 90.5, false, 'good', now());
        UPDATE batches SET status = 'certifying' WHERE id = ${batch.id}; DELETE FROM public_query_hits`)
  state.batchId = batch.id
}

const cases = [
  {
    name: 'center clicks 完成证书制作 on the batch',
    async run(page) {
      await certifyingBatch()
      await login(page, 'staff01')
      await page.goto(`${BASE}/app/batches/${state.batchId}`)
      await expectVisible(page.locator('[data-test="batch-issue-certificates"]'), 'the 完成证书制作 button')
      await page.locator('[data-test="batch-issue-certificates"]').click()
      await confirmBox(page, '完成证书制作')
      const status = await expectVisible(page.locator('[data-test="batch-detail-status"]:has-text("证书制作完成")'), 'the status 证书制作完成')
      if (!status.includes('证书制作完成')) fail(`status ${status}`)
      await logout(page)
    },
  },
  {
    name: 'station opens 查看证书 and sees the certificate',
    async run(page) {
      await login(page, BENZ)
      await page.goto(`${BASE}/app/batches/${state.batchId}`)
      await page.locator('[data-test="shipping-certs"] button').click()
      const row = await expectVisible(page.locator(`[data-test="cert-table"] tr:has-text("${HOLDER}")`), 'the certificate row')
      const staff = await apiLogin('org', 'staff01')
      const [cert] = (await staff.get(`/api/certificates?batch_id=${state.batchId}`)).items
      if (!cert || !row.includes(cert.cert_no)) fail(`the row "${row}" lacks the certificate number`)
      state.certNo = cert.cert_no
      state.verifyUrl = (await staff.get(`/api/certificates/${cert.id}`)).verify_url
      const totals = await expectVisible(page.locator('[data-test="cert-totals"]'), 'the totals line')
      if (!totals.includes('中级1人')) fail(`totals line: ${totals}`)
      await logout(page)
    },
  },
  {
    name: 'the QR code URL opens /verify on a phone: 证书真实有效',
    async run(page) {
      await page.setViewportSize({ width: 390, height: 844 })
      const u = new URL(state.verifyUrl)
      await page.goto(`${BASE}${u.pathname}${u.search}`)
      await expectVisible(page.locator('[data-test="verify-verdict"]:has-text("证书真实有效")'), 'the verdict 证书真实有效')
      const no = await expectVisible(page.locator('[data-test="verify-cert-no"]'), 'the certificate number')
      if (no !== state.certNo) fail(`verify page shows ${no}, expected ${state.certNo}`)
      // a forged name is refused
      await page.goto(`${BASE}${u.pathname}${u.search.replace(/name=[^&]+/, 'name=' + encodeURIComponent('冒名'))}`)
      await expectVisible(page.locator('[data-test="verify-verdict"]:has-text("未通过")'), 'the refusal of a forged payload')
      await page.setViewportSize({ width: 1440, height: 900 })
    },
  },
  {
    name: 'landing page 证书查询 finds it with the name masked',
    async run(page) {
      await page.goto(`${BASE}/`)
      const form = page.locator('[data-test="cert-form"]')
      await expectVisible(form, 'the 证书查询 form')
      await field(form, 'cq-name').fill(HOLDER)
      await field(form, 'cq-cert-no').fill(state.certNo)
      await form.locator('[data-test="cq-category"]').click()
      await page.locator('.el-select-dropdown__item:visible', { hasText: '行业能力水平评价' }).click()
      await form.locator('[data-test="cert-query"]').click()
      const item = await expectVisible(page.locator('[data-test="cert-result-item"]'), 'the query result')
      if (!item.includes('证**试') || !item.includes(state.certNo) || item.includes(HOLDER)) fail(`result: ${item}`)
      psql('DELETE FROM public_query_hits')
    },
  },
]

runSuite('e2e-certificate', cases)
