// End-to-end check of 费用管理 and phase 6 (R24, R25) in headless chromium: staff01 sends a fee notice from a
// batch's detail (amount typed in yuan), the 奔驰站 applies for an invoice (去申请), staff01 marks it 已开票 and
// 已缴费, ships the certificates (顺丰 + tracking number), and the 奔驰站 finds the carrier's tracking link and
// confirms receipt (证书已签收).
//
//   node test/e2e/fees.mjs   (KAOWU_URL, KAOWU_HOME, KAOWU_PG_PORT, KAOWU_SCREENSHOTS as for run.mjs)
//
// fixture: until phases 2-5 land, the batch (证书制作完成, two certificates) is inserted with psql into the
// instance's database (its socket under $KAOWU_HOME/run). The cases build on each other.

import { runSuite, BASE, fail, screenshot, expectVisible, expectPath, field, login, logout, confirmBox, choose, psql } from './_runner.mjs'



const tag = `${Date.now() % 100000000}`
const state = { name: `奔驰站费用与寄送测试${tag}`, id: 0, fee: 0 }
const TRACKING = `SF${tag}0001`

async function statusIs(page, selector, text) {
  const el = page.locator(`[data-test="${selector}"]`)
  try {
    await el.getByText(text, { exact: true }).waitFor({ state: 'visible' })
  } catch {
    fail(`${selector} reads "${((await el.textContent().catch(() => '')) || '').trim()}", expected "${text}"`)
  }
}

const cases = [
  {
    name: 'fixture: a 证书制作完成 batch of 奔驰站 with two certificates',
    async run() {
      const id = psql(
        `INSERT INTO batches (org_id, year, seq, name, code, status, created_at, updated_at)
         SELECT o.id, 2099, coalesce((SELECT max(seq) FROM batches WHERE org_id = o.id AND year = 2099), 0) + 1,
                '${state.name}', '14' || lpad('${tag}', 17, '7'), 'certified', now(), now()
         FROM orgs o WHERE o.code = '49003031' RETURNING id`,
      )
      state.id = Number(id.split('\n')[0])
      if (!state.id) fail(`no batch inserted: ${id}`)
      psql(`INSERT INTO certificates (cert_no, batch_id, org_id, category, level, occupation_id, holder_name, id_number, grade, issued_on, created_at)
            SELECT '19' || lpad('${tag}', 15, '0') || g, ${state.id}, b.org_id, 'industry', 4, 9, '考生', '110101199001011237', 'pass', current_date, now()
            FROM batches b, generate_series(10, 11) g WHERE b.id = ${state.id}`)
    },
  },
  {
    name: 'staff01: 发送缴费通知 from the batch (1234.5 yuan → 待缴费)',
    async run(page) {
      await login(page, 'staff01')
      await page.goto(`${BASE}/app/batches/${state.id}`)
      await expectVisible(page.locator('[data-test="shipping-block"]'), 'the shipping block')
      await page.locator('[data-test="fee-notice-open"]').click()
      const dialog = page.locator('.el-dialog[data-test="fee-notice-dialog"], [data-test="fee-notice-dialog"]').first()
      await expectVisible(dialog, 'the fee notice dialog')
      await field(page, 'fee-notice-amount').fill('1234.5')
      await page.locator('[data-test="fee-notice-send"]').click()
      await expectPath(page, (p) => /^\/app\/fees\/\d+$/.test(p), 'the fee detail')
      state.fee = Number(new URL(page.url()).pathname.split('/').pop())
      await statusIs(page, 'fee-detail-status', '待缴费')
      const amount = await expectVisible(page.locator('[data-test="fee-detail-amount"]'), 'the amount')
      if (amount.trim() !== '1234.50') fail(`the amount reads ${amount}`)
      await logout(page)
    },
  },
  {
    name: '奔驰站: 费用管理 → 去申请 with the invoice fields → 已申请发票',
    async run(page) {
      await login(page, BENZ_USER)
      if (!(await page.locator('[data-test="menu-费用管理"]').count())) fail('no 费用管理 in the menu')
      await page.goto(`${BASE}/app/fees`)
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
      await expectVisible(page.locator('[data-test="fee-invoice"]'), 'the invoice as submitted')
      await logout(page)
    },
  },
  {
    name: 'staff01: 标记已开票 (invoice number) and 标记已缴费 (date)',
    async run(page) {
      await login(page, 'staff01')
      await page.goto(`${BASE}/app/fees/${state.fee}`)
      await field(page, 'fee-invoice-no').fill('04418765')
      await page.locator('[data-test="fee-mark-invoiced"]').click()
      await statusIs(page, 'fee-detail-status', '已开票')
      await page.locator('[data-test="fee-mark-paid"]').click()
      await statusIs(page, 'fee-detail-status', '已缴费')
      const trail = await expectVisible(page.locator('[data-test="fee-trail"]'), 'the trail')
      if (!trail.includes('发票号码：04418765')) fail(`the trail reads ${trail}`)
    },
  },
  {
    name: 'staff01: 寄出证书 (顺丰 + tracking number) → 证书已寄出',
    async run(page) {
      await page.goto(`${BASE}/app/batches/${state.id}`)
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
    name: '奔驰站: 查看物流信息 links to the carrier, 证书签收 → 证书已签收',
    async run(page) {
      await login(page, BENZ_USER)
      await page.goto(`${BASE}/app/batches/${state.id}`)
      const link = page.locator('[data-test="shipping-track"]')
      await expectVisible(link, '证书已寄出，查看物流信息')
      const href = await link.getAttribute('href')
      if (!href?.startsWith('https://') || !href.includes(TRACKING)) fail(`the tracking link is ${href}`)
      if ((await link.getAttribute('target')) !== '_blank') fail('the tracking link does not open a new page')
      await expectVisible(page.locator('[data-test="shipping-certs"]').getByText('查看证书（2 本）'), '查看证书 with the count')
      // issue 15 item 12: the 调配 note shows only while the people can still change
      if (await page.locator('[data-test="batch-people-note"]').count()) fail('the 调配 note still shows on a shipped batch')
      await page.locator('[data-test="shipping-receive"]').click()
      await confirmBox(page, '签收')
      await statusIs(page, 'batch-detail-status', '证书已签收')
      if (await page.locator('[data-test="shipping-receive"]').count()) fail('证书签收 is still offered')
      await screenshot(page, 'fees-received.png', true)
      await logout(page)
    },
  },
]

const BENZ_USER = '机械行业职业技能鉴定汽车北京奔驰站'
// The check character of the 统一社会信用代码 91110302MA01XY7Q3… (GB 32100-2015).
const CHECK = (() => {
  const A = '0123456789ABCDEFGHJKLMNPQRTUWXY'
  const W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
  const s = [...'91110302MA01XY7Q3'].reduce((t, ch, i) => t + A.indexOf(ch) * W[i], 0)
  return A[(31 - (s % 31)) % 31]
})()

runSuite('e2e-fees', cases, { afterFailure: (context) => context.clearCookies().catch(() => {}) }).catch((err) => {
  console.error(err)
  console.log('e2e-fees: 0 passed, 1 failed')
  process.exit(1)
})
