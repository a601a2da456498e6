// End-to-end check of 批次管理 (batches, phase 1) in Debian's headless chromium (playwright-core from web/node_modules):
// the 奔驰站 fills the application (添加批次细则 twice: eligible assessors only, the date picker's R5 limit and
// the 报名截止 hint, the 培训大纲 upload for 技师) and submits it; the 北汽分中心 调配s the 考评组长 and approves;
// staff01 安排督导组长 and approves; director01 approves, and the batch reads 资质审核通过，报名中.
//
//   node test/e2e/batch.mjs          (standalone, like plan.mjs)
//   KAOWU_URL, KAOWU_SCREENSHOTS, KAOWU_CHROMIUM as for run.mjs
//
// The cases build on each other and run in turn, each with its own timeout; console errors, page errors and
// failed non-API requests fail the case. The last line is `e2e-batch: N passed, N failed`; exit code 1 on failure.
// The business clock is the real one (the demo certificates run to 2030-12-31).
import fs from 'node:fs'

import {
  runSuite,
  STEP_TIMEOUT_MS,
  BENZ,
  BEIQI,
  fail,
  screenshot,
  expectVisible,
  expectPath,
  field,
  login,
  logout,
  openMenu,
  confirmBox,
  apiLogin,
  freeExamDay,
  WELD,
} from './_runner.mjs'



// ---------------------------------------------------------------- helpers










/** Picks `option` (exact text) in the Element Plus select `select`; multiple picks keep the list open. */
async function choose(page, select, option, { close = true } = {}) {
  await select.click()
  const item = page.locator('.el-select-dropdown__item:visible').filter({ hasText: new RegExp(`^\\s*${option}`) }).first()
  await expectVisible(item, `the option ${option}`)
  await item.click()
  if (!close) return
  // a single choice closes its list; wait until it is gone so the next list is the only one shown
  await item.waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS }).catch(() => {})
}

/** Picks more options in the list that is open now (a multiple select), then closes it. */
async function chooseMore(page, select, options) {
  for (const option of options) {
    const item = page.locator('.el-select__popper:visible .el-select-dropdown__item').filter({ hasText: new RegExp(`^\\s*${option}`) }).first()
    await expectVisible(item, `the option ${option}`)
    await item.click()
  }
  await select.locator('.el-select__wrapper').first().click()
  await page.locator('.el-select__popper:visible').first().waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS }).catch(() => {})
}

/** The options an Element Plus select offers (opens and closes it). */
async function optionsOf(page, select) {
  await select.click()
  const list = page.locator('.el-select-dropdown__item:visible')
  await list.first().waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS }).catch(() => {})
  const texts = (await list.allTextContents()).map((t) => t.trim())
  await page.keyboard.press('Escape')
  await page.locator('.el-select__popper:visible').first().waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS }).catch(() => {})
  return texts
}

async function pickDate(page, scope, name, value) {
  const input = field(scope, name)
  await input.click()
  await input.fill(value)
  await input.press('Enter')
  await page.keyboard.press('Escape')
}


const pad = (n) => String(n).padStart(2, '0')
function ymd(d) {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}
function daysFromNow(n) {
  const d = new Date()
  return ymd(new Date(d.getFullYear(), d.getMonth(), d.getDate() + n))
}

/** A minimal docx (a zip holding [Content_Types].xml and word/document.xml), stored uncompressed. */
function docx() {
  const entries = [
    ['[Content_Types].xml', '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'],
    ['word/document.xml', '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'],
  ]
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    return c >>> 0
  })
  const crc32 = (buf) => {
    let c = 0xffffffff
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8)
    return (c ^ 0xffffffff) >>> 0
  }
  const locals = []
  const centrals = []
  let offset = 0
  for (const [name, text] of entries) {
    const data = Buffer.from(text, 'utf8')
    const fname = Buffer.from(name, 'utf8')
    const crc = crc32(data)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(data.length, 18)
    local.writeUInt32LE(data.length, 22)
    local.writeUInt16LE(fname.length, 26)
    locals.push(local, fname, data)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(20, 4)
    central.writeUInt16LE(20, 6)
    central.writeUInt32LE(crc, 16)
    central.writeUInt32LE(data.length, 20)
    central.writeUInt32LE(data.length, 24)
    central.writeUInt16LE(fname.length, 28)
    central.writeUInt32LE(offset, 42)
    centrals.push(central, fname)
    offset += 30 + fname.length + data.length
  }
  const cd = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(cd.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, cd, end])
}

/** Opens the batch `name` from the list (searching for it). */
async function openBatch(page, name) {
  await field(page, 'batch-filter-q').fill(name)
  await field(page, 'batch-filter-q').press('Enter')
  const row = page.locator('[data-test="batch-table"] .el-table__body tr', { hasText: name })
  await expectVisible(row, `the list row of ${name}`)
  await row.first().locator('[data-test="batch-view"]').click()
  await expectPath(page, (p) => p === `/app/batches/${state.id}`, 'the batch detail')
  await expectVisible(page.locator('[data-test="batch-detail-items"]'), 'the items of the batch')
}

async function statusIs(page, text) {
  const tag = page.locator('[data-test="batch-detail-status"]')
  try {
    await tag.getByText(text, { exact: true }).waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS })
  } catch {
    fail(`the status reads "${((await tag.textContent().catch(() => '')) || '').trim()}", expected "${text}"`)
  }
}

async function trailHas(page, line) {
  const trail = page.locator('[data-test="batch-trail"]')
  try {
    await trail.getByText(line).first().waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS })
  } catch {
    fail(`the 审批流程及意见 lacks "${line}"; it reads: ${((await trail.textContent().catch(() => '')) || '').trim()}`)
  }
}

/** Writes the 审批意见 and presses 审核, confirming the box. */
async function approve(page, comment) {
  await expectVisible(page.locator('[data-test="batch-review"]'), 'the 审批意见 box')
  await page.locator('[data-test="batch-comment"] textarea, textarea[data-test="batch-comment"]').first().fill(comment)
  await page.locator('[data-test="batch-approve"]').click()
  await confirmBox(page, '审核')
}

/**
 * The first day from today + 45 on which the cast of this script is free: 笔尖 and 胜利 (焊装), 铅笔, 军军 and
 * 加加 (汽车装调工), and the supervisor 张玉霞 — so that a second run against the same instance finds them
 * free (a person serves one exam room a day).
 */
async function freeDayOfTheCast() {
  const benz = await apiLogin('org', BENZ)
  const occupations = (await benz.get('/api/ref/occupations')).items
  const idOf = (name) => occupations.find((o) => o.name === name)?.id ?? fail(`no occupation ${name}`)
  const { examDate } = await freeExamDay(benz, idOf(WELD), {
    from: 45, count: 2, names: ['笔尖', '胜利'],
    also: [{ occupationId: idOf('汽车装调工'), names: ['铅笔', '军军', '加加'] }],
    supervisors: 1, center: await apiLogin('org', 'staff01'), supervisorNames: ['张玉霞'],
  })
  return examDate
}

const exam = await freeDayOfTheCast()
const state = { id: null, name: null }

// ---------------------------------------------------------------- cases

const cases = [
  {
    name: '奔驰站: 考务管理 → 批次管理 lists the batches as the manual does',
    async run(page) {
      await login(page, BENZ)
      await openMenu(page, '批次管理', '/app/batches')
      for (const header of ['批次名称', '操作时间', '状态', '操作']) {
        await expectVisible(page.locator('[data-test="batch-table"] th').getByText(header), `the ${header} column`)
      }
      await expectVisible(page.locator('[data-test="batch-table"] th').getByText('筛选'), 'the 筛选 of 状态')
      await field(page, 'batch-filter-q').fill('2019年第21次')
      await field(page, 'batch-filter-q').press('Enter')
      const demo = page.locator('[data-test="batch-table"] .el-table__body tr', { hasText: `${BENZ}2019年第21次鉴定` })
      await expectVisible(demo.getByText(`等待${BEIQI}审核资质`), 'the demo batch waiting for the 北汽分中心')
      await field(page, 'batch-filter-q').fill('')
      await field(page, 'batch-filter-q').press('Enter')
      await expectVisible(page.locator('[data-test="batch-new"]'), 'the 新增 button')
      await screenshot(page, 'batch-list-station.png')
    },
  },
  {
    name: '奔驰站: 新增 fills two 批次细则 and submits the application',
    async run(page) {
      await page.locator('[data-test="batch-new"]').click()
      await expectPath(page, (p) => p === '/app/batches/new', '/app/batches/new')
      // An empty application is refused before the server is asked.
      await page.locator('[data-test="batch-submit"]').click()
      await expectVisible(page.locator('[data-test="batch-form-message"]'), 'the message about the missing items')

      // 1: 行业能力水平评价 汽车焊装生产线操作工 中级, 8 people, 笔尖 / 笔尖 胜利 (the manual's first row).
      await page.locator('[data-test="batch-add-item"]').click()
      const dialog = page.locator('[data-test="item-dialog"]')
      await expectVisible(dialog.getByText('添加批次细则'), 'the 添加批次细则 dialog')
      await choose(page, dialog.locator('[data-test="item-category"]'), '行业能力水平评价')
      if (await dialog.locator('[data-test="item-dual"] input').isEnabled()) fail('允许申请双证 is open for 行业能力水平评价')
      // R5: a date before today + 30 is not taken; a later one shows when registration closes.
      await pickDate(page, dialog, 'item-exam-date', daysFromNow(10))
      if (await dialog.locator('[data-test="item-closes"]').isVisible()) fail(`the date picker took ${daysFromNow(10)}`)
      await pickDate(page, dialog, 'item-exam-date', exam)
      const closes = await expectVisible(dialog.locator('[data-test="item-closes"]'), 'the 报名截止 hint')
      const [y, m, d] = exam.split('-').map(Number)
      const expectedClose = ymd(new Date(y, m - 1, d - 21))
      if (!closes.includes(expectedClose)) fail(`the hint reads "${closes}", expected ${expectedClose}`)
      await choose(page, dialog.locator('[data-test="item-occupation"]'), '汽车焊装生产线操作工')
      await choose(page, dialog.locator('[data-test="item-level"]'), '中级')
      await field(dialog, 'item-count').fill('8')
      await field(dialog, 'item-count').press('Tab')
      // R9: only the station's assessors certified for 焊装 — not 铅笔 (汽车装调工 only), not 王强 (another station).
      const offered = await optionsOf(page, dialog.locator('[data-test="item-chief"]'))
      if (!offered.some((t) => t.startsWith('笔尖')) || offered.some((t) => t.startsWith('铅笔') || t.startsWith('王强'))) {
        fail(`the 考评组长 choices are ${offered.join(', ')}`)
      }
      await choose(page, dialog.locator('[data-test="item-chief"]'), '笔尖')
      await choose(page, dialog.locator('[data-test="item-assessors"]'), '笔尖', { close: false })
      await chooseMore(page, dialog.locator('[data-test="item-assessors"]'), ['胜利'])
      await screenshot(page, 'batch-item-dialog.png')
      await dialog.locator('[data-test="item-save"]').click()
      await dialog.waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS })

      // 2: 国家职业技能鉴定 汽车装调工 (汽车发动机装调工) 技师, with 培训大纲, 铅笔 / 军军 加加 铅笔.
      await page.locator('[data-test="batch-add-item"]').click()
      await expectVisible(dialog.getByText('添加批次细则'), 'the 添加批次细则 dialog again')
      await dialog.locator('[data-test="item-in-plan"]').click()
      await dialog.locator('[data-test="item-dual"]').click()
      await pickDate(page, dialog, 'item-exam-date', exam)
      await choose(page, dialog.locator('[data-test="item-occupation"]'), '汽车装调工')
      await choose(page, dialog.locator('[data-test="item-direction"]'), '汽车发动机装调工')
      await choose(page, dialog.locator('[data-test="item-level"]'), '技师')
      await field(dialog, 'item-count').fill('8')
      await field(dialog, 'item-count').press('Tab')
      await choose(page, dialog.locator('[data-test="item-chief"]'), '铅笔')
      await choose(page, dialog.locator('[data-test="item-assessors"]'), '军军', { close: false })
      await chooseMore(page, dialog.locator('[data-test="item-assessors"]'), ['加加', '铅笔'])
      // R10: 技师 needs the 培训大纲 before the row is taken.
      await dialog.locator('[data-test="item-save"]').click()
      await expectVisible(dialog.getByText('技师、高级技师鉴定需上传培训大纲'), 'the 培训大纲 required message')
      await dialog.locator('[data-test="item-syllabus-input"]').setInputFiles({ name: '汽车装调工技师培训大纲.docx', mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', buffer: docx() })
      await expectVisible(dialog.locator('[data-test="item-syllabus-name"]').getByText('汽车装调工技师培训大纲.docx'), 'the uploaded 培训大纲')
      await dialog.locator('[data-test="item-save"]').click()
      await dialog.waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS })

      const rows = page.locator('[data-test="batch-items"] .el-table__body tr')
      if ((await rows.count()) !== 2) fail(`the table has ${await rows.count()} rows`)
      await expectVisible(rows.nth(1).getByText('军军 加加 铅笔'), 'the assessors of the second row')
      await screenshot(page, 'batch-form.png', true)

      await page.locator('[data-test="batch-submit"]').click()
      await confirmBox(page, '提交')
      await expectPath(page, (p) => /^\/app\/batches\/\d+$/.test(p), 'the detail of the new batch')
      state.id = Number(new URL(page.url()).pathname.split('/').pop())
      await statusIs(page, `等待${BEIQI}审核资质`)
      const title = await expectVisible(page.locator('[data-test="batch-title"]'), 'the title')
      const m2 = new RegExp(`^(${BENZ}\\d{4}年第\\d+次鉴定)编号:(14\\d{17})$`).exec(title.replace(/\s+/g, ''))
      if (!m2) fail(`the title reads "${title}"`)
      state.name = m2[1]
      await trailHas(page, '批次申请提交')
      await screenshot(page, 'batch-detail-submitted.png', true)
      await logout(page)
    },
  },
  {
    name: '北汽分中心: 调配 the 考评组长 and approves',
    async run(page) {
      if (!state.id) fail('needs the batch of the previous case')
      await login(page, BEIQI)
      await openMenu(page, '批次管理', '/app/batches')
      await page.locator('[data-test="batch-filter-todo"]').click()
      await openBatch(page, state.name)
      // 调配 the chief of the 汽车装调工 row: 铅笔 → 军军.
      const row = page.locator('[data-test="batch-detail-items"] .el-table__body tr').nth(1)
      await row.locator('[data-test="reassign-assessors"]').click()
      const dialog = page.locator('[data-test="reassign-dialog"]')
      await expectVisible(dialog.getByText('调配考评人员'), 'the 调配 dialog')
      await choose(page, dialog.locator('[data-test="reassign-chief"]'), '军军')
      await dialog.locator('[data-test="reassign-save"]').click()
      await dialog.waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS })
      await trailHas(page, `${BEIQI}将考评组长铅笔调配为军军`)
      await expectVisible(row.locator('[data-test="item-chief-assessor"]').getByText('军军'), 'the new 考评组长')
      // 拒绝 needs an opinion: the page says so without asking the server.
      await page.locator('[data-test="batch-reject"]').click()
      await expectVisible(page.locator('[data-test="batch-comment-error"]'), 'the 审批意见 required message')
      await approve(page, '同意')
      await statusIs(page, '等待中心工作人员审核')
      await trailHas(page, `${BEIQI}审核通过，审核意见：同意`)
      if (await page.locator('[data-test="batch-review"]').isVisible()) fail('the review box stays after the decision')
      await logout(page)
    },
  },
  {
    name: 'staff01: 批次审核 安排督导组长 and approves',
    async run(page) {
      if (!state.id) fail('needs the batch of the previous cases')
      await login(page, 'staff01')
      await openMenu(page, '批次审核', '/app/batches')
      await openBatch(page, state.name)
      const row = page.locator('[data-test="batch-detail-items"] .el-table__body tr').first()
      await row.locator('[data-test="assign-chief-supervisor"]').click()
      const dialog = page.locator('[data-test="reassign-dialog"]')
      await expectVisible(dialog.getByText('安排督导组长'), 'the 安排督导组长 dialog')
      await choose(page, dialog.locator('[data-test="reassign-chief"]'), '张玉霞')
      await dialog.locator('[data-test="reassign-save"]').click()
      await dialog.waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS })
      await trailHas(page, '中心工作人员将督导组长调配为 张玉霞')
      await approve(page, '同意')
      await statusIs(page, '等待中心主任审核')
      await logout(page)
    },
  },
  {
    name: 'director01: approves; the batch is 资质审核通过，报名中',
    async run(page) {
      if (!state.id) fail('needs the batch of the previous cases')
      await login(page, 'director01')
      await openMenu(page, '批次审核', '/app/batches')
      await openBatch(page, state.name)
      await approve(page, '同意')
      await statusIs(page, '资质审核通过，报名中')
      const [y, m, d] = exam.split('-').map(Number)
      const closes = await expectVisible(page.locator('[data-test="batch-closes"]'), 'the 报名截止 date')
      if (!closes.includes(ymd(new Date(y, m - 1, d - 21)))) fail(`报名截止 reads "${closes}"`)
      await trailHas(page, '中心主任审核通过，审核意见：同意')
      for (const button of ['batch-approve', 'batch-reject', 'reassign-assessors']) {
        if (await page.locator(`[data-test="${button}"]`).count()) fail(`${button} is still offered after the approval`)
      }
      await screenshot(page, 'batch-detail-approved.png', true)
      await logout(page)
    },
  },
]

// ---------------------------------------------------------------- runner

runSuite('e2e-batch', cases, {
  caseTimeoutMs: Number(process.env.KAOWU_E2E_CASE_TIMEOUT_MS || 60000),
  // Later cases start from a logged-out page.
  afterFailure: (context) => context.clearCookies().catch(() => {}),
}).catch((err) => {
  console.error(err)
  console.log('e2e-batch: 0 passed, 1 failed')
  process.exit(1)
})
