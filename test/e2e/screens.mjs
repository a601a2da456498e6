// screens.mjs - issue 15's navigation, defaults and screen items, in a browser set to UTC (so any time the
// SPA formats in the browser's zone instead of Beijing's shows 8 hours off):
//   item 8   the director's menu names plans for what he may do (年度计划查看), the staff's stays 年度计划审核;
//   item 9   计划汇总 opens on the latest year with approved plans (one for next year is made through the API);
//   item 10  a page the role may not open (/app/audit as a station) shows a 403 page at the same address;
//   item 13  the home page's login time, a 站内信's time and an export's file name are Beijing time from a
//            UTC browser;
//   item 16  the batch date picker says why it did not take a typed date that is too early, and no page
//            logs an Element Plus deprecation warning.
//
//   KAOWU_URL=http://127.0.0.1:8080 KAOWU_HOME=… KAOWU_PG_PORT=… node test/e2e/screens.mjs
import { BASE, BENZ, BEIQI, runSuite, apiLogin, psql, fail, expectVisible, expectPath, field, login, logout, screenshot } from './_runner.mjs'

const STAFF = 'staff01'
const DIRECTOR = 'director01'
const state = {}

// Every console warning of the whole run (item 16 fails on Element Plus's deprecations among them).
const warnings = []
let watching = false
function watchWarnings(page) {
  if (watching) return
  watching = true
  page.on('console', (msg) => {
    if (msg.type() === 'warning') warnings.push(`${msg.text()} (${new URL(page.url()).pathname})`)
  })
}
const isDeprecation = (w) => /(ElementPlusError|\[Element Plus\]).*deprecated/s.test(w)

/** The menu labels of the signed-in user (the desktop aside). */
async function menuLabels(page) {
  await expectVisible(page.locator('[data-test="app-menu"]'), 'the menu')
  return page.locator('[data-test="app-menu"] [data-test^="menu-"]:not([data-test^="menu-group-"])').evaluateAll((els) =>
    els.map((e) => e.getAttribute('data-test').slice(5)),
  )
}

/** 'YYYY-MM-DDTHH:MM:SS+08:00' as the SPA must show it: 'YYYY-MM-DD HH:MM' (Beijing). */
function beijingText(iso) {
  const t = new Date(iso).getTime() + 8 * 3600e3
  return new Date(t).toISOString().slice(0, 16).replace('T', ' ')
}

const cases = [
  {
    name: 'item 8: the director sees 年度计划查看, not 年度计划审核; the staff keeps 年度计划审核',
    async run(page) {
      watchWarnings(page)
      await login(page, DIRECTOR)
      const director = await menuLabels(page)
      if (director.includes('年度计划审核')) fail(`the director's menu offers 年度计划审核: ${director.join(' ')}`)
      if (!director.includes('年度计划查看')) fail(`the director's menu has no 年度计划查看: ${director.join(' ')}`)
      await page.locator('[data-test="menu-年度计划查看"]').click()
      await expectPath(page, (p) => p === '/app/plans', '/app/plans')
      await logout(page)
      await login(page, STAFF)
      const staff = await menuLabels(page)
      if (!staff.includes('年度计划审核') || staff.includes('年度计划查看')) fail(`the staff's menu reads ${staff.join(' ')}`)
      await logout(page)
    },
  },
  {
    name: 'item 9: 计划汇总 opens on the latest year with approved plans, not the calendar year',
    async run(page) {
      // Fixture through the API: a plan of next year, submitted by the 奔驰站 and approved by both reviewers.
      const staff = await apiLogin('org', STAFF)
      const thisYear = (await staff.get('/api/plans/overview')).year
      const year = thisYear + 1
      const occ = Number(psql("SELECT id FROM occupations WHERE name = '汽车装调工' AND parent_id IS NULL"))
      const benz = await apiLogin('org', BENZ)
      const plan = await benz.post('/api/plans', {
        items: [{ category: 'national', level: 4, occupation_id: occ, count: 7, train_theory_date: `${year}-05-10`,
          train_practical_date: `${year}-05-12`, exam_theory_date: `${year}-05-28`, exam_practical_date: `${year}-05-29`,
          standard_equipped: true }],
      })
      await benz.post(`/api/plans/${plan.id}/actions/submit`)
      await (await apiLogin('org', BEIQI)).post(`/api/plans/${plan.id}/actions/approve`)
      await staff.post(`/api/plans/${plan.id}/actions/approve`)
      const years = (await staff.get('/api/plans/overview')).years
      const latest = Math.max(...years)
      if (latest < year) fail(`the overview's years are ${years}`)

      await login(page, STAFF)
      await page.locator('[data-test="menu-计划汇总"]').click()
      await expectPath(page, (p) => p === '/app/plans/overview', '/app/plans/overview')
      const select = page.locator('[data-test="overview-year"]')
      await expectVisible(select.getByText(`${latest} 年度`), `the year ${latest} in the select`)
      await expectVisible(page.locator('[data-test="overview-table"]').getByText('汽车装调工'), 'the 汽车装调工 row')
      await logout(page)
    },
  },
  {
    name: 'item 10: /app/audit as a station shows a 403 page at the same address',
    async run(page) {
      await login(page, BENZ)
      await page.goto(`${BASE}/app/audit`)
      const text = await expectVisible(page.locator('[data-test="forbidden"]'), 'the 403 page')
      if (!text.includes('403') || !text.includes('无权访问') || !text.includes('鉴定站')) fail(`the 403 page reads "${text}"`)
      if (new URL(page.url()).pathname !== '/app/audit') fail(`the address changed to ${page.url()}`)
      if (!(await page.title()).startsWith('无权访问')) fail(`the title is ${await page.title()}`)
      await screenshot(page, 'screens-forbidden.png')
      // An unknown page is still 页面不存在, and 返回首页 leads home.
      await page.goto(`${BASE}/app/no-such-page`)
      await expectVisible(page.locator('[data-test="not-found"]'), 'the 404 page')
      await page.goto(`${BASE}/app/audit`)
      await page.locator('[data-test="forbidden"] [data-test="back-home"]').click()
      await expectPath(page, (p) => p === '/app', '/app after 返回首页')
      await logout(page)
    },
  },
  {
    name: 'item 13: from a UTC browser the home page and 站内信 show Beijing time',
    async run(page) {
      const zone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)
      if (zone !== 'UTC') fail(`the browser runs in ${zone}, not UTC`)
      await login(page, STAFF)
      const api = (p) => page.evaluate((u) => fetch(u, { headers: { Accept: 'application/json' } }).then((r) => r.json()), p)
      const at = (await api('/api/auth/logins?per_page=1')).items[0].at
      if (!/\+08:00$/.test(at)) fail(`the login time comes as ${at}`)
      const shown = await expectVisible(page.locator('[data-test="home-this-login"]'), '本次登录时间')
      if (shown !== beijingText(at)) fail(`首页 shows 本次登录时间 ${shown}, the login was at ${at} (Beijing ${beijingText(at)})`)

      const msg = (await api('/api/messages?per_page=1')).items[0]
      if (!msg) fail('staff01 has no 站内信 (item 9 makes some)')
      await page.goto(`${BASE}/app/messages`)
      const row = await expectVisible(page.locator('[data-test="message-table"] .el-table__row').first(), 'the first 站内信')
      if (!row.includes(beijingText(msg.created_at))) fail(`站内信 row "${row}" lacks ${beijingText(msg.created_at)} (sent ${msg.created_at})`)

      // The name of an export carries the time it was made: Beijing's, not the browser's UTC.
      await page.goto(`${BASE}/app/plans`)
      await page.locator('[data-test="plan-table"] .el-table__body tr .el-checkbox').first().click()
      const before = Date.now()
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test="export-csv"]').click()])
      const m = /^年度计划-(\d{4})(\d\d)(\d\d)-(\d\d)(\d\d)\.csv$/.exec(download.suggestedFilename())
      if (!m) fail(`the export is named ${download.suggestedFilename()}`)
      const named = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:00+08:00`)
      if (Math.abs(named - before) > 3 * 60e3) fail(`the export is named ${download.suggestedFilename()} at ${beijingText(new Date(before).toISOString())} Beijing time`)
      await logout(page)
    },
  },
  {
    name: 'item 16: a too-early typed exam date is refused inline with the reason',
    async run(page) {
      await login(page, BENZ)
      await page.goto(`${BASE}/app/batches/new`)
      await page.locator('[data-test="batch-add-item"]').click()
      const dialog = page.locator('[data-test="item-dialog"]')
      await expectVisible(dialog.getByText('添加批次细则'), 'the 添加批次细则 dialog')
      const tooEarly = new Date(Date.now() + (8 + 24 * 5) * 3600e3).toISOString().slice(0, 10) // Beijing today + 5
      const input = field(dialog, 'item-exam-date')
      await input.click()
      await input.fill(tooEarly)
      await input.press('Enter')
      await page.keyboard.press('Escape')
      const note = await expectVisible(dialog.locator('[data-test="item-date-refused"]'), 'the reason the date was not taken')
      if (!note.includes(tooEarly) || !note.includes('30 天') || !note.includes('最早')) fail(`the note reads "${note}"`)
      if (await input.inputValue()) fail(`the picker kept ${await input.inputValue()}`)
      await screenshot(page, 'screens-date-refused.png')
      // A later date is taken and the note goes.
      const ok = new Date(Date.now() + (8 + 24 * 45) * 3600e3).toISOString().slice(0, 10)
      await input.click()
      await input.fill(ok)
      await input.press('Enter')
      await page.keyboard.press('Escape')
      await expectVisible(dialog.locator('[data-test="item-closes"]'), 'the 报名截止 hint of the taken date')
      if (await dialog.locator('[data-test="item-date-refused"]').isVisible()) fail('the note stayed after a valid date')
    },
  },
  {
    name: 'item 16: no Element Plus deprecation warning on the pages of this run and the lists',
    async run(page) {
      await page.context().clearCookies()
      await login(page, BENZ)
      for (const path of ['/app/batches', '/app/plans', '/app/bank', '/app/schemes', '/app/experts', '/app/messages', '/app/account']) {
        await page.goto(`${BASE}${path}`)
        await page.waitForLoadState('networkidle')
        // the batch list's names are el-links (the deprecated boolean underline warned there)
        if (path === '/app/batches') await expectVisible(page.locator('[data-test="batch-name"]'), 'a batch name link')
        await page.waitForTimeout(300)
      }
      await logout(page)
      const bad = warnings.filter(isDeprecation)
      if (bad.length) fail(`Element Plus warnings:\n      ${[...new Set(bad)].join('\n      ')}`)
    },
  },
]

await runSuite('e2e-screens', cases, {
  timezoneId: 'UTC',
  afterFailure: async (context) => {
    await context.clearCookies()
  },
})
