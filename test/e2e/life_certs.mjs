// life_certs.mjs - batch phases 5 and 6 as one life (issue 12), from scores approved to 证书签收: staff01 clicks
// 完成证书制作 (证书制作完成) and sends the fee notice; the 奔驰站 sees 证书制作完成 and applies for the invoice
// (费用管理 → 去申请); staff01 marks it 已开票 and 已缴费 and ships the certificates (顺丰 + tracking number); the
// 奔驰站 finds 查看物流信息 (the carrier's page) and 查看证书 (the certificate with its number) and confirms receipt
// (证书已签收). The QR code's URL opens the public /verify page on a phone (证书真实有效; a forged name is refused)
// and the landing page's 证书查询 finds the certificate with the name masked.
//
// fixture: phases 2-4 are other flows' business (life_enroll.mjs, the scores flow): one candidate enrolls
// through the API, then psql writes a passing score and moves the batch to 证书制作中 (scores approved).
//
//   KAOWU_URL=http://127.0.0.1:8080 KAOWU_HOME=… KAOWU_PG_PORT=… node test/e2e/life_certs.mjs
import { BASE, BENZ, runSuite, expectVisible, expectPath, fail, field, screenshot, login, logout, confirmBox, choose, psql, registeringBatch, enrolledCandidate } from './_runner.mjs'

const HOLDER = '证书测试'
const tag = `${Date.now() % 100000000}`
const TRACKING = `SF${tag}0001`
const state = { batchId: 0, name: '', fee: 0, certNo: '', verifyUrl: '' }

/** The public queries share 127.0.0.1 with every other test: start from a clean count. */
const clearPublicLimit = () => psql("DELETE FROM rate_hits WHERE bucket LIKE 'public_certificates.%'")

async function statusIs(page, selector, text) {
  const el = page.locator(`[data-test="${selector}"]`)
  try {
    await el.getByText(text, { exact: true }).waitFor({ state: 'visible' })
  } catch {
    fail(`${selector} reads "${((await el.textContent().catch(() => '')) || '').trim()}", expected "${text}"`)
  }
}

async function openBatch(page) {
  await page.goto(`${BASE}/app/batches/${state.batchId}`)
  await expectVisible(page.locator('[data-test="batch-detail-items"]'), 'the batch detail')
}

// The check character of the 统一社会信用代码 91110302MA01XY7Q3… (GB 32100-2015).
const CHECK = (() => {
  const A = '0123456789ABCDEFGHJKLMNPQRTUWXY'
  const W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
  const s = [...'91110302MA01XY7Q3'].reduce((t, ch, i) => t + A.indexOf(ch) * W[i], 0)
  return A[(31 - (s % 31)) % 31]
})()

const cases = [
  {
    name: 'setup: a batch of the 奔驰站 with one enrolled candidate (API); fixture: a passing score, 证书制作中',
    async run() {
      Object.assign(state, await registeringBatch())
      const { enrollmentId } = await enrolledCandidate(state.itemId, HOLDER)
      psql(`INSERT INTO scores (enrollment_id, item_id, theory_score, practical_score, absent, grade, updated_at)
            VALUES (${enrollmentId}, ${state.itemId}, 80.0, 90.5, false, 'good', now());
            UPDATE batches SET status = 'certifying' WHERE id = ${state.batchId}`)
      clearPublicLimit()
    },
  },
  {
    name: 'staff01: 完成证书制作 → 证书制作完成, then 发送缴费通知 (1234.5 yuan → 待缴费)',
    async run(page) {
      await login(page, 'staff01')
      await openBatch(page)
      await page.locator('[data-test="batch-issue-certificates"]').click()
      await confirmBox(page, '完成证书制作')
      await expectVisible(page.locator('[data-test="batch-detail-status"]:has-text("证书制作完成")'), 'the status 证书制作完成')
      await page.locator('[data-test="fee-notice-open"]').click()
      await expectVisible(page.locator('[data-test="fee-notice-dialog"]'), 'the fee notice dialog')
      await field(page, 'fee-notice-amount').fill('1234.5')
      await page.locator('[data-test="fee-notice-send"]').click()
      await expectPath(page, (p) => /^\/app\/fees\/\d+$/.test(p), 'the fee detail')
      state.fee = Number(new URL(page.url()).pathname.split('/').pop())
      await statusIs(page, 'fee-detail-status', '待缴费')
      const amount = await expectVisible(page.locator('[data-test="fee-detail-amount"]'), 'the amount')
      if (amount !== '1234.50') fail(`the amount reads ${amount}`)
      await logout(page)
    },
  },
  {
    name: '奔驰站: the batch reads 证书制作完成; 费用管理 → 去申请 with the invoice fields → 已申请发票',
    async run(page) {
      await login(page, BENZ)
      await openBatch(page)
      await expectVisible(page.locator('[data-test="batch-detail-status"]:has-text("证书制作完成")'), 'the status 证书制作完成')
      await page.locator('[data-test="menu-费用管理"]').click()
      await expectPath(page, (p) => p === '/app/fees', '费用管理')
      await field(page, 'fee-batch-filter').fill(state.name)
      await field(page, 'fee-batch-filter').press('Enter')
      const row = page.locator('[data-test="fee-table"] .el-table__body tr', { hasText: state.name })
      await expectVisible(row, 'the fee row')
      await row.first().locator('[data-test="fee-apply"]').click()
      await expectPath(page, (p) => p === `/app/fees/${state.fee}`, 'the fee detail')
      await expectVisible(page.locator('[data-test="invoice-form"]'), 'the invoice form')
      const fill = { title: '北京奔驰汽车有限公司', tax_no: '91110302MA01XY7Q3' + CHECK, mail_address: '北京亦庄经济技术开发区博兴路8号', postcode: '100176', recipient: '王会计', phone: '13800138000' }
      for (const [k, v] of Object.entries(fill)) await field(page, `invoice-${k}`).fill(v)
      await page.locator('[data-test="invoice-submit"]').click()
      await statusIs(page, 'fee-detail-status', '已申请发票')
      await logout(page)
    },
  },
  {
    name: 'staff01: 标记已开票, 标记已缴费; 寄出证书 (顺丰 + tracking number) → 证书已寄出',
    async run(page) {
      await login(page, 'staff01')
      await page.goto(`${BASE}/app/fees/${state.fee}`)
      await field(page, 'fee-invoice-no').fill('04418765')
      await page.locator('[data-test="fee-mark-invoiced"]').click()
      await statusIs(page, 'fee-detail-status', '已开票')
      await page.locator('[data-test="fee-mark-paid"]').click()
      await statusIs(page, 'fee-detail-status', '已缴费')
      const trail = await expectVisible(page.locator('[data-test="fee-trail"]'), 'the trail')
      if (!trail.includes('发票号码：04418765')) fail(`the fee trail reads ${trail}`)
      await openBatch(page)
      await page.locator('[data-test="shipping-ship"]').click()
      await expectVisible(page.locator('[data-test="ship-tracking-no"]'), 'the ship dialog')
      await choose(page, page.locator('[data-test="ship-carrier"]'), '顺丰')
      await field(page, 'ship-tracking-no').fill(TRACKING)
      await page.locator('[data-test="ship-submit"]').click()
      await statusIs(page, 'batch-detail-status', '证书已寄出')
      await expectVisible(page.locator('[data-test="batch-trail"]').getByText(`证书已寄出，快递单号：${TRACKING}`), 'the trail line')
      await logout(page)
    },
  },
  {
    name: '奔驰站: 查看物流信息 (the carrier), 查看证书 (the number), 证书签收 → 证书已签收',
    async run(page) {
      await login(page, BENZ)
      await openBatch(page)
      const link = page.locator('[data-test="shipping-track"]')
      await expectVisible(link, '证书已寄出，查看物流信息')
      const href = await link.getAttribute('href')
      if (!href?.startsWith('https://') || !href.includes(TRACKING)) fail(`the tracking link is ${href}`)
      if ((await link.getAttribute('target')) !== '_blank') fail('the tracking link does not open a new page')
      if (await page.locator('[data-test="batch-people-note"]').count()) fail('the 调配 note still shows on a shipped batch')
      const [cert] = (await (await page.request.get(`${BASE}/api/certificates?batch_id=${state.batchId}`)).json()).items
      if (!cert) fail('the station sees no certificate of the batch')
      state.certNo = cert.cert_no
      state.verifyUrl = (await (await page.request.get(`${BASE}/api/certificates/${cert.id}`)).json()).verify_url
      await page.locator('[data-test="shipping-certs"] button').click()
      const row = await expectVisible(page.locator(`[data-test="cert-table"] tr:has-text("${HOLDER}")`), 'the certificate row')
      if (!row.includes(state.certNo)) fail(`the row "${row}" lacks the certificate number`)
      const totals = await expectVisible(page.locator('[data-test="cert-totals"]'), 'the totals line')
      if (!totals.includes('中级1人')) fail(`totals line: ${totals}`)
      await openBatch(page)
      await page.locator('[data-test="shipping-receive"]').click()
      await confirmBox(page, '签收')
      await statusIs(page, 'batch-detail-status', '证书已签收')
      if (await page.locator('[data-test="shipping-receive"]').count()) fail('证书签收 is still offered')
      await screenshot(page, 'life-certs-received.png', true)
      await logout(page)
    },
  },
  {
    name: 'the QR code URL opens /verify on a phone: 证书真实有效; a forged name is refused',
    async run(page) {
      await page.setViewportSize({ width: 390, height: 844 })
      const u = new URL(state.verifyUrl)
      await page.goto(`${BASE}${u.pathname}${u.search}`)
      await expectVisible(page.locator('[data-test="verify-verdict"]:has-text("证书真实有效")'), 'the verdict 证书真实有效')
      const no = await expectVisible(page.locator('[data-test="verify-cert-no"]'), 'the certificate number')
      if (no !== state.certNo) fail(`verify page shows ${no}, expected ${state.certNo}`)
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
      await choose(page, form.locator('[data-test="cq-category"]'), '行业能力水平评价')
      await form.locator('[data-test="cert-query"]').click()
      const item = await expectVisible(page.locator('[data-test="cert-result-item"]'), 'the query result')
      if (!item.includes('证**试') || !item.includes(state.certNo) || item.includes(HOLDER)) fail(`result: ${item}`)
      clearPublicLimit()
    },
  },
]

await runSuite('e2e-life-certs', cases, { caseTimeoutMs: 45000, afterFailure: (context) => context.clearCookies().catch(() => {}) })
