// End-to-end check of 题库管理 in Debian's headless chromium (playwright-core from web/node_modules): the 奔驰站
// imports a question bank with the preview (errors by row, then near-duplicates side by side), sees it in
// 我的题库 and its statistics, adds a 组卷方案, generates a paper, replaces a question and downloads the
// paper and its answers as Word files.
//
//   node test/e2e/bank.mjs           (standalone, like plan.mjs)
//   KAOWU_URL, KAOWU_SCREENSHOTS, KAOWU_CHROMIUM as for run.mjs
//
// The bank files are written by openpyxl (/usr/bin/python3 test/office/gen_bank_xlsx.py) with a tag of
// this run in every stem, so runs against the same instance never collide. Cases build on each other.
// The last line is `e2e-bank: N passed, N failed`; exit code 1 on failure.
import { fileURLToPath } from 'node:url'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {
  runSuite,
  STEP_TIMEOUT_MS,
  BENZ,
  fail,
  screenshot,
  expectVisible,
  expectPath,
  field,
  login,
  openMenu,
  choose,
} from './_runner.mjs'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const REPO = path.resolve(HERE, '..', '..')

const GEN = path.join(REPO, 'test', 'office', 'gen_bank_xlsx.py')
const TAG = `E${Date.now().toString(36)}`
const WORK = fs.mkdtempSync(path.join(os.tmpdir(), 'kaowu-e2e-bank-'))

// ---------------------------------------------------------------- helpers










/** An xlsx of rows (A..H) written by openpyxl; returns its path. */
function bankFile(name, rows) {
  const out = path.join(WORK, name)
  const p = spawnSync('/usr/bin/python3', [GEN, out], { input: JSON.stringify({ rows }) })
  if (p.status !== 0) fail(`openpyxl could not write ${name}: ${p.stderr}`)
  return out
}

const HEADER = ['题干', '题型(单选题、多选题、判断题)', '选项A', '选项B', '选项C', '选项D', '正确答案', '类型(基础知识、相关知识)']
const single = (stem, kind = '基础知识') => [stem, '单选题', '甲', '乙', '丙', '丁', 'B', kind]
const multi = (stem, kind = '基础知识') => [stem, '多选题', '甲', '乙', '丙', '丁', 'A,C', kind]
const judge = (stem, kind = '基础知识') => [stem, '判断题', null, null, null, null, '对', kind]

/** A bank for one 初级 paper of 90: 单选 60+10, 多选 10+5, 判断 3+2, plus spares for 替换. */
function goodBank() {
  const rows = [HEADER]
  const add = (make, n, kind, what) => {
    for (let i = 1; i <= n; i++) rows.push(make(`${TAG} ${what} 第${i}题：请选择正确的一项（　）。`, kind))
  }
  add(single, 62, '基础知识', '单选基础')
  add(single, 12, '相关知识', '单选相关')
  add(multi, 10, '基础知识', '多选基础')
  add(multi, 5, '相关知识', '多选相关')
  add(judge, 3, '基础知识', '判断基础')
  add(judge, 2, '相关知识', '判断相关')
  rows.push(['装配气门弹簧时，其预紧力应符合（　）的要求' + TAG, '单选题', '维修手册', '经验数据', '同类车型', '操作习惯', 'A', '基础知识'])
  return rows
}

/** The import dialog: occupation, level, file, then 预览. */
async function previewImport(page, file) {
  const dialog = page.locator('[data-test="import-dialog"]')
  await expectVisible(dialog, 'the 导入题库 dialog')
  await dialog.locator('[data-test="import-file"] input[type="file"]').setInputFiles(file)
  await dialog.locator('[data-test="import-preview-button"]').click()
  await expectVisible(dialog.locator('[data-test="import-preview"]'), 'the preview')
  return dialog
}

async function download(page, button) {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: STEP_TIMEOUT_MS }), button.click()])
  const file = path.join(WORK, dl.suggestedFilename())
  await dl.saveAs(file)
  const bytes = fs.readFileSync(file)
  if (bytes.length < 1000 || bytes.subarray(0, 2).toString() !== 'PK') fail(`${dl.suggestedFilename()} is not a zip (${bytes.length} bytes)`)
  return dl.suggestedFilename()
}

const state = { paperUrl: null }

// ---------------------------------------------------------------- cases

const cases = [
  {
    name: '奔驰站: 题库管理 → 我的题库 with filters, 导入题库 and 下载模板',
    async run(page) {
      await login(page, BENZ)
      await expectVisible(page.locator('[data-test="menu-group-题库管理"]'), 'the 题库管理 group')
      await openMenu(page, '我的题库', '/app/bank')
      await expectVisible(page.locator('[data-test="bank-table"]'), 'the question table')
      for (const header of ['题干', '题型', '类型', '选项', '正确答案', '职业/工种', '等级']) {
        await expectVisible(page.locator('[data-test="bank-table"] th').getByText(header, { exact: true }), `the ${header} column`)
      }
      const name = await download(page, page.locator('[data-test="bank-template"]'))
      if (name !== '题库导入模板.xlsx') fail(`the template downloads as ${name}`)
    },
  },
  {
    name: '奔驰站: the preview lists every bad row, and a file with bad rows cannot be imported',
    async run(page) {
      await page.locator('[data-test="bank-import"]').click()
      const dialog = page.locator('[data-test="import-dialog"]')
      await expectVisible(dialog, 'the 导入题库 dialog')
      // the form checks its fields first
      await dialog.locator('[data-test="import-preview-button"]').click()
      await expectVisible(dialog.getByText('请选择职业/工种'), 'the 职业/工种 required message')
      await expectVisible(dialog.getByText('请选择题库文件（xlsx 格式）'), 'the file required message')
      await choose(page, dialog.locator('[data-test="import-occupation"]'), '汽车装调工')
      await choose(page, dialog.locator('[data-test="import-level"]'), '初级/五级')
      const bad = bankFile('bad.xlsx', [HEADER, single(`${TAG} 好题`), [`${TAG} 坏题型`, '选择题', '甲', '乙', null, null, 'A', '基础知识'], [`${TAG} 坏答案`, '单选题', '甲', '乙', null, null, 'E', '基础知识']])
      await previewImport(page, bad)
      await expectVisible(dialog.locator('[data-test="import-has-errors"]'), 'the bad-rows alert')
      const errors = await expectVisible(dialog.locator('[data-test="import-errors"] .el-table__body'), 'the error table')
      if (!errors.includes('第 3 行 B 列') || !errors.includes('第 4 行 G 列')) fail(`the error table shows: ${errors}`)
      if (await dialog.locator('[data-test="import-confirm"]').isEnabled()) fail('确认导入 is enabled for a bad file')
      await screenshot(page, 'bank-import-errors.png')
    },
  },
  {
    name: '奔驰站: a good file previews, then 确认导入 saves it',
    async run(page) {
      const dialog = await previewImport(page, bankFile('good.xlsx', goodBank()))
      const summary = await expectVisible(dialog.locator('[data-test="import-preview"] .el-descriptions'), 'the summary')
      if (!/将导入\s*95/.test(summary.replace(/\s+/g, ' '))) fail(`the summary says: ${summary}`)
      await dialog.locator('[data-test="import-confirm"]').click()
      await expectVisible(page.locator('.el-message--success', { hasText: '已导入 95 道试题' }), 'the import message')
      await field(page, 'filter-q').fill(TAG)
      await page.locator('[data-test="filter-search"]').click()
      await expectVisible(page.locator('.el-pagination__total', { hasText: '95' }), 'the 95 questions in the list')
    },
  },
  {
    name: '奔驰站: a near-duplicate is shown beside the question already in the bank, imported and flagged',
    async run(page) {
      await page.locator('[data-test="bank-import"]').click()
      const dialog = page.locator('[data-test="import-dialog"]')
      await expectVisible(dialog, 'the 导入题库 dialog')
      await choose(page, dialog.locator('[data-test="import-occupation"]'), '汽车装调工')
      await choose(page, dialog.locator('[data-test="import-level"]'), '初级/五级')
      const near = bankFile('near.xlsx', [HEADER, ['装配气门弹簧时，它的预紧力应当符合（　）的要求' + TAG, '单选题', '维修手册', '经验数据', '同类车型', '操作习惯', 'A', '基础知识'], single(`${TAG} 又一道新题`)])
      await previewImport(page, near)
      const table = await expectVisible(dialog.locator('[data-test="import-near"] .el-table__body'), 'the near-duplicate table')
      // this run's question beside the one it resembles (this run's base, or an earlier run's copy of it)
      if (!table.includes(`它的预紧力应当符合（　）的要求${TAG}`) || table.split('装配气门弹簧时').length < 3) fail(`the near-duplicate table shows: ${table}`)
      await screenshot(page, 'bank-import-near.png')
      await dialog.locator('[data-test="import-confirm"]').click()
      await expectVisible(page.locator('.el-message--success', { hasText: /已导入 2 道试题.*道与已有试题相似/ }), 'the import message')
      await page.locator('[data-test="filter-near"]').click()
      await page.locator('[data-test="filter-search"]').click()
      await expectVisible(page.locator('[data-test="near-tag"]'), 'the 相似 tag')
      await page.locator('[data-test="filter-near"]').click()
      await page.locator('[data-test="filter-search"]').click()
      // the statistics tab draws its chart
      await page.getByRole('tab', { name: '统计' }).click()
      await expectVisible(page.locator('[data-test="stats-chart"] canvas'), 'the statistics chart')
      await expectVisible(page.locator('[data-test="stats-table"] .el-table__body tr', { hasText: '汽车装调工' }), 'the statistics row')
      await screenshot(page, 'bank-stats.png')
    },
  },
  {
    name: '奔驰站: 组卷方案管理 → 添加组卷方案 checks R28, then generates a paper',
    async run(page) {
      await openMenu(page, '组卷方案管理', '/app/schemes')
      await page.locator('[data-test="scheme-create"]').click()
      const dialog = page.locator('[data-test="scheme-dialog"]')
      await expectVisible(dialog, 'the 添加组卷方案 dialog')
      await choose(page, dialog.locator('[data-test="scheme-level"]'), '初级/五级')
      await choose(page, dialog.locator('[data-test="scheme-occupation"]'), '汽车装调工')
      const counts = { 'single-basic': 60, 'single-related': 10, 'multi-basic': 10, 'multi-related': 5, 'judge-basic': 3, 'judge-related': 1 }
      for (const [k, v] of Object.entries(counts)) {
        const input = dialog.locator(`[data-test="scheme-${k}"] input`)
        await input.fill(String(v))
        await input.press('Tab')
      }
      // A test time no other test uses, so the row found below is this case's scheme (the list is
      // sorted by the business clock, which API tests move into the future).
      const minutes = String(100 + Math.floor(Math.random() * 80))
      await field(dialog, 'scheme-minutes').fill(minutes)
      await dialog.locator('[data-test="scheme-save"]').click()
      await expectVisible(dialog.getByText('总题量不少于 90 题，现为 89 题'), 'the R28 total message')
      const last = dialog.locator('[data-test="scheme-judge-related"] input')
      await last.fill('2')
      await last.press('Tab')
      await dialog.locator('[data-test="scheme-save"]').click()
      await expectVisible(page.locator('.el-message--success', { hasText: '组卷方案已添加' }), 'the saved message')
      const row = page.locator('[data-test="scheme-table"] .el-table__body tr', { hasText: '汽车装调工' })
        .filter({ hasText: `${minutes} 分钟` }).first()
      await expectVisible(row, 'the new scheme')
      await row.locator('[data-test="scheme-generate"]').click()
      const gen = page.locator('[data-test="generate-dialog"]')
      await expectVisible(gen, 'the 生成试卷 dialog')
      await gen.locator('[data-test="generate-confirm"]').click()
      await expectPath(page, (p) => /^\/app\/schemes\/papers\/\d+$/.test(p), 'the paper page')
      state.paperUrl = page.url()
      const title = await expectVisible(page.locator('[data-test="paper-title"]'), 'the paper title')
      if (!title.includes('汽车装调工（初级/五级）理论知识试卷')) fail(`the paper is called ${title}`)
      for (const [t, n] of [['single', 70], ['multi', 15], ['judge', 5]]) {
        const section = page.locator(`[data-test="paper-section-${t}"]`)
        await expectVisible(section, `the ${t} section`)
        const got = await section.locator('[data-test="paper-question"]').count()
        if (got !== n) fail(`the ${t} section has ${got} questions, not ${n}`)
      }
      await screenshot(page, 'bank-paper.png')
    },
  },
  {
    name: '奔驰站: 替换 one question, then 导出试卷 and 导出答案 as Word files',
    async run(page) {
      const first = page.locator('[data-test="paper-section-single"] [data-test="paper-question"]').first()
      const before = (await first.locator('.paper__stem > span').first().textContent()).trim()
      await first.locator('[data-test="paper-replace"]').click()
      await expectVisible(page.locator('.el-message--success', { hasText: '第 1 题已替换' }), 'the replaced message')
      const after = (await first.locator('.paper__stem > span').first().textContent()).trim()
      if (after === before || !after.startsWith('1. ')) fail(`question 1 is still "${before}" (now "${after}")`)
      const paper = await download(page, page.locator('[data-test="paper-export"]'))
      if (!/理论知识试卷.*\.docx$/.test(paper) || paper.includes('答案')) fail(`the paper downloads as ${paper}`)
      const answers = await download(page, page.locator('[data-test="paper-export-answers"]'))
      if (!/（答案）\.docx$/.test(answers)) fail(`the answers download as ${answers}`)
    },
  },
]

runSuite('e2e-bank', cases, {
  // a download's blob: URL is revoked after saving; that is not a failure
  ignoreRequest: (url) => url.startsWith('blob:'),
  cleanup: () => fs.rmSync(WORK, { recursive: true, force: true }),
}).catch((err) => {
  console.error(err)
  console.log('e2e-bank: 0 passed, 1 failed')
  process.exit(1)
})
