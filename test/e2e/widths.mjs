// widths.mjs - issue 15 item 14: at 1440×900 no table of the SPA scrolls sideways and no page is wider
// than the screen. For each role it opens every page of the role's menu (read from the menu's data-path)
// and the detail and form pages behind them (a batch, a plan, a fee, an expert, an org, the plan and batch
// forms), and checks every visible .el-table__body-wrapper / .el-scrollbar__wrap (and a table's header
// against the table) for scrollWidth > clientWidth. One case per role lists every page that overflows.
//
//   KAOWU_URL=http://127.0.0.1:8080 node test/e2e/widths.mjs
import { BASE, BENZ, BEIQI, runSuite, apiLogin, fail, expectVisible, expectPath, field, PASSWORD } from './_runner.mjs'

const ASSESSOR = '422201199001176250' // 铅笔 (demo)

/** Logs in through the login page of `audience` (org, expert, candidate). */
async function loginAs(page, audience, username) {
  await page.goto(`${BASE}/login/${audience}`)
  await expectVisible(page.locator('[data-test="login-form"]'), 'the login form')
  await field(page, 'username').fill(username)
  await field(page, 'password').fill(PASSWORD)
  await page.locator('[data-test="submit"]').click()
  await expectPath(page, (p) => p === '/app', `/app after the login of ${username}`)
}

/** What overflows sideways on the current page: [] when it all fits. */
async function overflows(page) {
  return page.evaluate(() => {
    const visible = (el) => el.getClientRects().length > 0 && !el.closest('.el-popper, .el-overlay[style*="display: none"]')
    const nameOf = (el) => {
      const table = el.closest('.el-table')
      if (!table) return el.className.split(' ')[0]
      const heads = [...table.querySelectorAll('.el-table__header th .cell')].map((c) => c.textContent.trim()).filter(Boolean)
      return `the table ${heads.slice(0, 3).join('/')}…${heads.slice(-2).join('/')}`
    }
    const out = []
    for (const el of document.querySelectorAll('.el-table__body-wrapper, .el-table__body-wrapper .el-scrollbar__wrap, .el-scrollbar__wrap')) {
      if (!visible(el)) continue
      if (el.scrollWidth > el.clientWidth + 1) out.push(`${nameOf(el)} scrolls sideways (${el.scrollWidth} > ${el.clientWidth} px)`)
    }
    for (const table of document.querySelectorAll('.el-table')) {
      const header = table.querySelector('.el-table__header')
      if (visible(table) && header && header.offsetWidth > table.clientWidth + 1)
        out.push(`${nameOf(header)} is ${header.offsetWidth} px wide in ${table.clientWidth} px`)
    }
    if (document.documentElement.scrollWidth > window.innerWidth)
      out.push(`the page is ${document.documentElement.scrollWidth} px wide at ${window.innerWidth} px`)
    return [...new Set(out)]
  })
}

/** Resolves when no request of the page has been open for `quiet` ms. */
function settled(page, quiet = 250) {
  return page.evaluate(
    (q) =>
      new Promise((resolve) => {
        let last = performance.getEntriesByType('resource').length
        let still = 0
        const tick = setInterval(() => {
          const now = performance.getEntriesByType('resource').length
          const busy = document.querySelector('.el-loading-mask') !== null
          still = now === last && !busy ? still + 50 : 0
          last = now
          if (still >= q) {
            clearInterval(tick)
            resolve()
          }
        }, 50)
      }),
    quiet,
  )
}

/** Opens each path inside the SPA (its router, no reload) and collects its overflows as 'path: problem'. */
async function visit(page, paths) {
  const problems = []
  for (const path of [...new Set(paths)]) {
    await page.evaluate((p) => {
      history.pushState({}, '', p)
      dispatchEvent(new PopStateEvent('popstate', { state: {} }))
    }, path)
    await settled(page) // el-table lays out its columns after the data
    if (new URL(page.url()).pathname !== path.split('?')[0]) problems.push(`${path}: went to ${page.url()}`)
    if (await page.locator('[data-test="forbidden"], [data-test="not-found"]').isVisible()) problems.push(`${path}: not a page of this role`)
    for (const p of await overflows(page)) problems.push(`${path}: ${p}`)
  }
  return problems
}

/** The role's menu pages (the desktop menu's data-path). */
async function menuPaths(page) {
  await expectVisible(page.locator('[data-test="app-menu"]'), 'the menu')
  return page.locator('[data-test="app-menu"] [data-path]').evaluateAll((els) => els.map((e) => e.getAttribute('data-path')))
}

const first = (list, test = () => true) => (list?.items || []).find(test)

/** One role: log in, the menu pages and `extra(api)` detail pages, log out; fails with every overflow. */
function roleCase(name, audience, username, extra = async () => []) {
  return {
    name: `${name}: no table scrolls sideways at 1440×900`,
    async run(page) {
      const api = await apiLogin(audience === 'expert' ? 'assessor' : audience, username)
      await loginAs(page, audience, username)
      const paths = [...(await menuPaths(page)), ...(await extra(api))]
      const problems = await visit(page, paths)
      await page.locator('[data-test="logout"]').click()
      await expectPath(page, (p) => p === '/', 'the landing page after 退出')
      if (problems.length) fail(`${problems.length} pages overflow:\n      ${problems.join('\n      ')}`)
    },
  }
}

/** Detail pages an org sees: a batch with items (and its edit form when it can be edited), a plan, a fee. */
async function orgDetails(api, { forms = false } = {}) {
  const out = []
  const batches = await api.get('/api/batches?per_page=50')
  const batch = first(batches, (b) => b.item_count > 0)
  if (batch) out.push(`/app/batches/${batch.id}`)
  const editable = first(batches, (b) => /rejected|draft/.test(b.status))
  if (forms && editable) out.push(`/app/batches/${editable.id}/edit`)
  const plan = first(await api.get('/api/plans?per_page=20'), (p) => p.item_count > 0)
  if (plan) out.push(`/app/plans/${plan.id}`)
  if (forms) out.push('/app/plans/new', '/app/batches/new')
  const fee = first(await api.get('/api/fees?per_page=5'))
  if (fee) out.push(`/app/fees/${fee.id}`)
  const expert = first(await api.get('/api/experts?per_page=5'))
  if (expert) out.push(`/app/experts/${expert.id}`)
  return out
}

const cases = [
  roleCase('奔驰站', 'org', BENZ, (api) => orgDetails(api, { forms: true })),
  roleCase('北汽分中心', 'org', BEIQI, (api) => orgDetails(api)),
  roleCase('中心工作人员', 'org', 'staff01', async (api) => {
    const out = await orgDetails(api)
    const org = first(await api.get('/api/orgs?per_page=5'))
    if (org) out.push(`/app/orgs/${org.id}`)
    return out
  }),
  // The director sees the staff's pages (their tables are the same components); item 8 checks his menu.
  roleCase('考评员', 'expert', ASSESSOR, async (api) => {
    const task = first(await api.get('/api/expert/tasks'), (t) => t.scores_visible)
    return task ? [`/app/batches/${task.batch.id}/items/${task.item_id}/reports`] : []
  }),
  roleCase('考生', 'candidate', 'shentong'),
]

await runSuite('e2e-widths', cases, {
  caseTimeoutMs: Number(process.env.KAOWU_E2E_CASE_TIMEOUT_MS || 90000),
  afterFailure: async (context) => {
    await context.clearCookies()
  },
})
