// End-to-end check of 通知公告, the public site and 考评管理人员培训 in Debian's headless chromium: staff01 publishes a
// notice with a PDF attachment and a 回执 form to the 北汽分中心's stations; the 奔驰站 reads it on 首页, downloads
// the attachment and submits a receipt with two attendees; staff01 exports the receipts and the XLSX holds both;
// a public notice is visible logged out (工作动态, its own page) and found by 站内搜索; a training application
// goes station → level-2 org → center with its trail.
//
//   node test/e2e/notices.mjs        (standalone, like plan.mjs)
//   KAOWU_URL, KAOWU_SCREENSHOTS, KAOWU_CHROMIUM as for run.mjs
//
// Titles carry a tag of this run, so runs against the same instance never collide. Cases build on each other.
// The last line is `e2e-notices: N passed, N failed`; exit code 1 on failure.
import { fileURLToPath } from 'node:url'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { runSuite, STEP_TIMEOUT_MS, BASE, BENZ, BEIQI, fail, expectVisible, expectPath, field, login, logout, openMenu, confirmBox, choose } from './_runner.mjs'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const CHECK_XLSX = path.join(HERE, '..', 'office', 'check_xlsx.py')
const TAG = `N${Date.now().toString(36)}`
const WORK = fs.mkdtempSync(path.join(os.tmpdir(), 'kaowu-e2e-notices-'))
const PDF = path.join(WORK, '年会通知.pdf')
fs.writeFileSync(PDF, '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')

const STAFF = 'staff01'
const TITLE = `年会通知 ${TAG}`
const PUBLIC_TITLE = `全国职业技能竞赛工作动态 ${TAG}`
let noticeId = 0

/** Fills the notice form (title, body, extra steps) and 保存并发布; returns the new notice's id. */
async function writeNotice(page, title, body, extra) {
  await openMenu(page, '通知公告', '/app/notices')
  await page.locator('[data-test="notice-new"]').click()
  await expectPath(page, (p) => p === '/app/notices/new', 'the notice form')
  await field(page, 'notice-title-input').fill(title)
  await page.locator('[data-test="notice-body"]').click()
  await page.keyboard.type(body)
  await extra()
  await page.locator('[data-test="notice-publish"]').click()
  await expectPath(page, (p) => /^\/app\/notices\/\d+$/.test(p), 'the notice detail after 保存并发布')
  await expectVisible(page.getByText('已发布', { exact: true }), 'the status 已发布')
  return Number(new URL(page.url()).pathname.split('/').pop())
}

const cases = [
  {
    name: 'staff01 publishes a notice with an attachment and a receipt form to the 北汽分中心 stations',
    async run(page) {
      await login(page, STAFF)
      noticeId = await writeNotice(page, TITLE, '请各站派员参加年会，并于截止前填写回执。', async () => {
        const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.locator('[data-test="notice-upload"] button').click()])
        await chooser.setFiles(PDF)
        await expectVisible(page.locator('[data-test="notice-file"]', { hasText: '年会通知.pdf' }), 'the uploaded attachment')
        await page.locator('[data-test="notice-audience"]').getByText('指定机构').click()
        await choose(page, page.locator('[data-test="notice-l2"]'), BEIQI)
        await expectVisible(page.locator('[data-test="notice-orgs"]').getByText(BENZ), 'the 奔驰站 among the chosen orgs')
        await page.locator('[data-test="notice-receipt"]').click()
        const deadline = page.getByPlaceholder('选择截止时间')
        await deadline.click()
        await deadline.fill('2099-12-31 18:00:00')
        await deadline.press('Enter')
        await page.keyboard.press('Escape')
      })
      await expectVisible(page.locator('[data-test="notice-status"]').getByText(BENZ), 'the 奔驰站 in the read/answered table')
      await logout(page)
    },
  },
  {
    name: '奔驰站 reads it on 首页, downloads the attachment and submits a receipt with two attendees',
    async run(page) {
      await login(page, BENZ)
      const item = page.locator('[data-test="home-notice"]', { hasText: TITLE })
      await expectVisible(item, 'the notice on 首页')
      await item.locator('[data-test="home-notice-open"]').click()
      await expectPath(page, (p) => p === `/app/notices/${noticeId}`, 'the notice detail')
      await expectVisible(page.locator('[data-test="notice-body-view"]').getByText('请各站派员参加年会'), 'the body')
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: STEP_TIMEOUT_MS }), page.locator('[data-test="notice-attachment"]').click()])
      const got = fs.readFileSync(await download.path(), 'latin1')
      if (!got.startsWith('%PDF-1.4')) fail('the downloaded attachment is not the PDF')
      const form = page.locator('[data-test="receipt-form"]')
      await field(form, 'r-arrive').fill('4月10日上午')
      await field(form, 'r-title').fill('北京奔驰汽车有限公司')
      await field(form, 'r-tax').fill('91110000600000000X')
      await field(form, 'r-rname').fill('张三')
      await field(form, 'r-rphone').fill('13812345678')
      await field(form, 'r-addr').fill('北京亦庄经济技术开发区博兴路8号')
      await page.locator('[data-test="attendee-add"]').click()
      const rows = form.locator('[data-test="attendee"]')
      for (const [i, name, phone] of [[0, `参会甲${TAG}`, '13900000001'], [1, `参会乙${TAG}`, '13900000002']]) {
        await field(rows.nth(i), 'a-name').fill(name)
        await field(rows.nth(i), 'a-phone').fill(phone)
      }
      await page.locator('[data-test="receipt-submit"]').click()
      await expectVisible(page.getByText('回执已提交'), 'the confirmation 回执已提交')
      await logout(page)
    },
  },
  {
    name: 'staff01 exports the receipts and the XLSX holds both attendees',
    async run(page) {
      await login(page, STAFF)
      await page.goto(`${BASE}/app/notices/${noticeId}`)
      await expectVisible(page.locator('[data-test="notice-status"]').getByText('未提交'), 'the 北汽站 not answered yet')
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: STEP_TIMEOUT_MS }), page.locator('[data-test="receipts-export"]').click()])
      const file = path.join(WORK, 'receipts.xlsx')
      await download.saveAs(file)
      const out = spawnSync('/usr/bin/python3', [CHECK_XLSX, file], { encoding: 'utf8' })
      if (out.status !== 0) fail(`the export is not a readable XLSX: ${out.stderr}`)
      const rows = JSON.parse(out.stdout).sheets[0].rows.map((r) => r.map((c) => c.value))
      const names = rows.slice(1).map((r) => r[3]).sort()
      if (names.join(',') !== [`参会乙${TAG}`, `参会甲${TAG}`].sort().join(',')) fail(`the export holds ${names.join(', ')}`)
    },
  },
  {
    name: 'a public notice is visible logged out and found by 站内搜索',
    async run(page) {
      await writeNotice(page, PUBLIC_TITLE, `第五届全国职业技能竞赛在北京举行 ${TAG}`, async () => {
        await page.locator('[data-test="notice-public"]').click()
        await choose(page, page.locator('[data-test="notice-section"]'), '工作动态')
      })
      await logout(page)
      const link = page.locator('[data-test="news-item"]', { hasText: PUBLIC_TITLE })
      await expectVisible(link, 'the public notice under 工作动态')
      await link.locator('a').click()
      await expectVisible(page.locator('[data-test="public-notice-title"]', { hasText: PUBLIC_TITLE }), 'the notice page')
      await field(page, 'site-search-input').fill(TAG)
      await field(page, 'site-search-input').press('Enter')
      await expectPath(page, (p) => p === '/search', 'the 站内搜索 page')
      await expectVisible(page.locator('[data-test="search-result"]', { hasText: PUBLIC_TITLE }), 'the notice among the search results')
      if (await page.locator('[data-test="search-result"]', { hasText: TITLE }).count()) fail('a non-public notice is among the search results')
    },
  },
  {
    name: 'a training application goes station → 北汽分中心 → center with its trail',
    async run(page) {
      await login(page, BENZ)
      await openMenu(page, '考评管理人员培训', '/app/trainings')
      await page.locator('[data-test="training-new"]').click()
      await choose(page, page.locator('[data-test="t-kind"]'), '专场培训班')
      await field(page, 't-time').fill('2019年5月上旬')
      await choose(page, page.locator('[data-test="t-occupations"]'), '汽车装调工')
      await page.keyboard.press('Escape')
      await field(page, 't-place').fill('北京亦庄')
      await page.locator('[data-test="t-submit"]').click()
      await expectPath(page, (p) => /^\/app\/trainings\/\d+$/.test(p), 'the training detail')
      const url = new URL(page.url()).pathname
      await expectVisible(page.locator('[data-test="training-detail-status"]', { hasText: '等待' }), 'the status 等待北汽分中心审核')
      await logout(page)
      for (const [who, next] of [[BEIQI, '等待中心工作人员审核'], [STAFF, '审核通过']]) {
        await login(page, who)
        await page.goto(`${BASE}${url}`)
        await page.locator('textarea[data-test="training-comment"], [data-test="training-comment"] textarea').first().fill('同意')
        await page.locator('[data-test="training-approve"]').click()
        await confirmBox(page, '审核通过')
        await expectVisible(page.locator('[data-test="training-detail-status"]', { hasText: next }), `the status ${next}`)
        if (who === STAFF) break
        await logout(page)
      }
      const trail = page.locator('[data-test="training-trail"] .el-table__body tr')
      if ((await trail.count()) !== 3) fail(`the trail has ${await trail.count()} lines, not 3`)
      await expectVisible(trail.nth(1).getByText(BEIQI), 'the 北汽分中心 in the trail')
      await logout(page)
    },
  },
]

runSuite('e2e-notices', cases, {
  viewport: { width: 1360, height: 860 },
  ignoreRequest: (url) => url.startsWith('blob:'),
  cleanup: () => fs.rmSync(WORK, { recursive: true, force: true }),
}).catch((err) => {
  console.error(err)
  process.exit(1)
})
