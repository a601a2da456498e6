// _runner.mjs - what every e2e script shares: Debian's headless chromium through playwright-core, the case loop
// with a timeout per case, the watch for console errors, page errors and failed non-API requests (CSP
// violations show up there), a screenshot on failure, and the summary line `suite: N passed, N failed`.
// It also exports the helpers the cases share (login, menus, selects, waits). Files starting with _
// are libraries: scripts/test.sh does not run them.
import { execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const REPO = path.resolve(HERE, '..', '..')
export const BASE = (process.env.KAOWU_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '')
export const SHOTS = path.resolve(process.env.KAOWU_SCREENSHOTS || path.join(HERE, 'screenshots'))
/**
 * The browser: Debian's chromium-headless-shell (the bootstrap installs it), else Debian's chromium.
 * The shell is the same engine without the browser's own UI: a third less CPU for the same
 * scripts, which run beside the API tests on CI's two cores.
 */
export const CHROMIUM = process.env.KAOWU_CHROMIUM ||
  ['/usr/bin/chromium-headless-shell', '/usr/bin/chromium'].find((b) => fs.existsSync(b)) || '/usr/bin/chromium'
export const STEP_TIMEOUT_MS = 10000
export const PASSWORD = 'kaowu2019'
export const BENZ = '机械行业职业技能鉴定汽车北京奔驰站'
export const BEIQI = '机械工业职业技能鉴定汽车行业北汽分中心'
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync']

/**
 * Turns off CSS transitions and animations in every page of `context`: what the tests check does not
 * depend on them, and each one is time the test waits (a dialog's fade, a message's slide, a collapse).
 */
export async function withoutMotion(context) {
  await context.addInitScript(() => {
    const add = () => {
      const style = document.createElement('style')
      style.dataset.test = 'no-motion'
      style.textContent = '*, *::before, *::after { transition: none !important; animation: none !important; }'
      document.head.appendChild(style)
    }
    if (document.head) add()
    else document.addEventListener('DOMContentLoaded', add)
  })
}

export function isApi(url) {
  try {
    return new URL(url).pathname.startsWith('/api/')
  } catch {
    return false
  }
}

function loadChromium() {
  const require = createRequire(path.join(REPO, 'web', 'package.json'))
  return require('playwright-core').chromium
}

// ---------------------------------------------------------------- helpers for the cases

export function fail(message) {
  throw new Error(message)
}

/** A random, valid ID number (GB 11643 checksum), born 1970–1999. */
export function idNumber() {
  const pad = (n, w) => String(n).padStart(w, '0')
  const body = `110105${1970 + Math.floor(Math.random() * 30)}${pad(1 + Math.floor(Math.random() * 12), 2)}${pad(1 + Math.floor(Math.random() * 28), 2)}${pad(Math.floor(Math.random() * 1000), 3)}`
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = [...body].reduce((acc, d, i) => acc + Number(d) * weights[i], 0)
  return body + '10X98765432'[sum % 11]
}

/** A real PNG of w × h pixels in one colour (uploads that must pass the server's content check). */
export function png(w = 120, h = 160, rgb = [30, 90, 168]) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4)
    len.writeUInt32BE(data.length)
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data])
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(zlib.crc32(td))
    return Buffer.concat([len, td, crc])
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(w, 0)
  ihdr.writeUInt32BE(h, 4)
  ihdr[8] = 8
  ihdr[9] = 2
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: w }, () => rgb).flat())])
  const raw = Buffer.concat(Array.from({ length: h }, () => row))
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))])
}

/** Runs SQL with psql on the instance's database (socket under $KAOWU_HOME/run); returns the trimmed output. */
export function psql(sql) {
  const conn = `host=${path.join(process.env.KAOWU_HOME || '', 'run')} port=${process.env.KAOWU_PG_PORT || '5481'} dbname=kaowu user=kaowu connect_timeout=3`
  return execFileSync('psql', ['-X', '-q', '-tA', '-v', 'ON_ERROR_STOP=1', '-d', conn, '-c', sql], { encoding: 'utf8' }).trim()
}

/**
 * Logs in through the API (for a case's setup) and returns a client: get / post / put / del with
 * JSON bodies, upload(name, bytes, type) for POST /api/files and bytes(path) for a download. Any answer ≥ 300
 * fails the case.
 */
export async function apiLogin(kind, username, password = PASSWORD) {
  const res = await fetch(`${BASE}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ kind, username, password }),
  })
  if (res.status !== 200) fail(`API login of ${username}: HTTP ${res.status}`)
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
  const { csrf_token: csrf } = await res.json()
  const call = async (method, p, body, headers = {}) => {
    const raw = Buffer.isBuffer(body)
    const r = await fetch(`${BASE}${p}`, {
      method,
      headers: { Cookie: cookie, Accept: 'application/json', ...(body && !raw ? { 'Content-Type': 'application/json' } : {}), ...(method !== 'GET' ? { 'X-CSRF-Token': csrf } : {}), ...headers },
      body: body ? (raw ? body : JSON.stringify(body)) : undefined,
    })
    const text = await r.text()
    if (r.status >= 300) fail(`${method} ${p}: HTTP ${r.status} ${text.slice(0, 300)}`)
    return text ? JSON.parse(text) : null
  }
  return {
    get: (p) => call('GET', p),
    post: (p, b = {}) => call('POST', p, b),
    put: (p, b = {}) => call('PUT', p, b),
    del: (p) => call('DELETE', p),
    upload: (name, bytes, type = 'image/png') => call('POST', '/api/files', bytes, { 'Content-Type': type, 'X-File-Name': name }),
    /** GET p as bytes (a download: PDF, xlsx). */
    bytes: async (p) => {
      const r = await fetch(`${BASE}${p}`, { headers: { Cookie: cookie } })
      if (r.status !== 200) fail(`GET ${p}: HTTP ${r.status}`)
      return Buffer.from(await r.arrayBuffer())
    },
  }
}

// ---------------------------------------------------------------- batch and candidate setup (API)

export const WELD = '汽车焊装生产线操作工' // an industry occupation in the 奔驰站's scope

/** Beijing date `days` from today as YYYY-MM-DD. */
export function beijingDay(days) {
  return new Date(Date.now() + 8 * 3600e3 + days * 86400e3).toISOString().slice(0, 10)
}

/**
 * A batch of the 奔驰站 with one 中级 WELD item (exam on the first free day from today + 40), submitted and approved by 北汽分中心,
 * staff01 and director01 through the API → { batchId, itemId, name } in 报名中.
 */
export async function registeringBatch() {
  const benz = await apiLogin('org', BENZ)
  const occ = (await benz.get('/api/ref/occupations')).items.find((o) => o.name === WELD)
  if (!occ) fail(`no occupation ${WELD}`)
  // a day from today + 40 on when an assessor is free (a person serves one batch a day)
  const { examDate, assessors: eligible } = await freeExamDay(benz, occ.id, { from: 40 })
  const item = { category: 'industry', in_annual_plan: false, dual_cert: false, exam_date: examDate, level: 4, occupation_id: occ.id,
    count: 8, standard_equipped: true, chief_assessor_id: eligible[0].id, assessor_ids: [eligible[0].id] }
  const batch = await benz.post('/api/batches', { items: [item] })
  await benz.post(`/api/batches/${batch.id}/actions/submit`)
  for (const reviewer of [BEIQI, 'staff01']) await (await apiLogin('org', reviewer)).post(`/api/batches/${batch.id}/actions/approve`, { comment: '同意' })
  const done = await (await apiLogin('org', 'director01')).post(`/api/batches/${batch.id}/actions/approve`, { comment: '同意' })
  if (done.status !== 'registering') fail(`the batch is ${done.status} after the director's approval`)
  return { batchId: batch.id, itemId: done.items[0].id, name: batch.name }
}

/** A new candidate named realName registered and enrolled in item itemId through the API → { enrollmentId, idNumber }. */
export async function enrolledCandidate(itemId, realName) {
  const tag = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e5)}`
  const username = `e2e_${tag}`.slice(0, 32)
  const password = `E2ePass${Math.floor(1000 + Math.random() * 9000)}`
  const id = idNumber()
  const reg = await fetch(`${BASE}/api/candidates/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ username, password, id_number: id, real_name: realName, email: `${tag}@e2e.kaowu.example`, phone: '13912345678' }),
  })
  if (reg.status >= 300) fail(`register: HTTP ${reg.status} ${await reg.text()}`)
  const cand = await apiLogin('candidate', username, password)
  const photo = await cand.upload('photo.png', png(120, 160))
  const idCard = await cand.upload('id.png', png(160, 100))
  const e = await cand.post('/api/enrollments', {
    batch_item_id: itemId, identity: 'employed', education: '高中', employer: '北京汽车厂', employer_type: '国有企业', occupation_now: '焊装工',
    work_start: '2010-07-01', years_in_trade: 7, history: [{ from: '2010-07-01', to: null, place: '北京汽车厂', dept: '焊装车间', work: '焊装' }],
    prior_cert: null, photo_file_id: photo.id, id_card_file_id: idCard.id, condition: '2', dual_cert: false,
  })
  return { enrollmentId: e.id, idNumber: id }
}

export async function screenshot(page, name, fullPage = false) {
  await page.screenshot({ path: path.join(SHOTS, name), fullPage })
}

export async function expectVisible(locator, what) {
  try {
    await locator.first().waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS })
  } catch {
    fail(`${what} is not visible`)
  }
  return ((await locator.first().textContent()) || '').trim()
}

export async function expectPath(page, test, what) {
  try {
    await page.waitForURL((url) => test(url.pathname), { timeout: STEP_TIMEOUT_MS })
  } catch {
    fail(`expected ${what}, got ${new URL(page.url()).pathname}`)
  }
}

export function field(scope, name) {
  return scope.locator(`input[data-test="${name}"], [data-test="${name}"] input`).first()
}

export async function login(page, username) {
  await page.goto(`${BASE}/login/org`)
  await expectVisible(page.locator('[data-test="login-form"]'), 'the login form')
  await field(page, 'username').fill(username)
  await field(page, 'password').fill(PASSWORD)
  await page.locator('[data-test="submit"]').click()
  await expectPath(page, (p) => p === '/app', `/app after the login of ${username}`)
}

export async function logout(page) {
  await page.locator('[data-test="logout"]').click()
  await expectPath(page, (p) => p === '/', 'the landing page after 退出')
}

export /** Opens the menu entry `label` (inside its group) and waits for `pathname`. */
async function openMenu(page, label, pathname) {
  const entry = page.locator(`[data-test="menu-${label}"]`)
  await expectVisible(entry, `the menu entry ${label}`)
  await entry.click()
  await expectPath(page, (p) => p === pathname, pathname)
}

/** Fails when the page is wider than the screen (a horizontal scroll bar). */
export async function expectNoHorizontalScroll(page, what) {
  await page.waitForTimeout(200)
  const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }))
  if (scroll > inner) fail(`${what} is ${scroll} px wide at a ${inner} px screen`)
}

export /** Confirms the open ElMessageBox with its button `label`. */
async function confirmBox(page, label) {
  const box = page.locator('.el-message-box')
  await expectVisible(box, 'the confirmation box')
  await box.getByRole('button', { name: label }).click()
  await box.waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS }).catch(() => {})
}

export /** Picks `option` in the Element Plus select `select` (a locator of the .el-select). */
async function choose(page, select, option) {
  await select.click()
  const item = page.locator('.el-select-dropdown__item:visible', { hasText: option }).first()
  await expectVisible(item, `the option ${option}`)
  await item.click()
}

/**
 * Runs `cases` ([{name, run(page)}], in order: they may build on each other) in one browser page and
 * exits the process with the summary line. Options: viewport, timezoneId (the browser's zone, Beijing unless
 * a script checks another), caseTimeoutMs, ignoreRequest(url) for
 * requests whose failure is expected (a download's revoked blob: URL), afterFailure(context) to reset
 * state for the next case, cleanup() at the end.
 */
export async function runSuite(suite, cases, options = {}) {
  const {
    viewport = { width: 1440, height: 900 },
    timezoneId = 'Asia/Shanghai',
    caseTimeoutMs = Number(process.env.KAOWU_E2E_CASE_TIMEOUT_MS || 45000),
    ignoreRequest = () => false,
    afterFailure = async () => {},
    cleanup = () => {},
  } = options
  const short = suite.replace(/^e2e-/, '')
  fs.mkdirSync(SHOTS, { recursive: true })
  let passed = 0
  let failed = 0
  let context
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), `kaowu-${suite}-`))
  try {
    context = await loadChromium().launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport,
      locale: 'zh-CN',
      timezoneId,
      acceptDownloads: true,
    })
  } catch (err) {
    console.error(`cannot start the browser (${CHROMIUM}): ${err.message}`)
    console.log(`${suite}: 0 passed, ${cases.length} failed`)
    fs.rmSync(userDataDir, { recursive: true, force: true })
    process.exit(1)
  }
  await withoutMotion(context)
  const page = context.pages()[0] || (await context.newPage())
  page.setDefaultTimeout(STEP_TIMEOUT_MS)
  page.setDefaultNavigationTimeout(STEP_TIMEOUT_MS)

  let problems = []
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return
    const where = msg.location()?.url || ''
    if (isApi(where)) return
    problems.push(`console error: ${msg.text()}${where ? ` (${where})` : ''}`)
  })
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`))
  context.on('requestfailed', (req) => {
    if (!isApi(req.url()) && !ignoreRequest(req.url()))
      problems.push(`request failed: ${req.url()} (${req.failure()?.errorText || 'unknown'})`)
  })
  context.on('response', (res) => {
    if (res.status() >= 400 && !isApi(res.url())) problems.push(`HTTP ${res.status()}: ${res.url()}`)
  })

  for (const c of cases) {
    problems = []
    const started = Date.now()
    let timer
    try {
      await Promise.race([
        c.run(page),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out after ${caseTimeoutMs} ms`)), caseTimeoutMs)
        }),
      ])
      await page.waitForTimeout(100)
      if (problems.length) throw new Error(problems.join('\n      '))
      passed++
      console.log(`  ok    ${c.name} (${Date.now() - started} ms)`)
    } catch (err) {
      failed++
      const reason = String(err.message).replace(/\x1b\[[0-9;]*m/g, '').split(/\n\s*Call log:/)[0].trim()
      const lines = [reason]
      if (problems.length && !err.message.includes(problems[0])) lines.push(...problems)
      console.log(`  FAIL  ${c.name} (${Date.now() - started} ms)\n      ${lines.join('\n      ')}`)
      const shot = `fail-${short}-${c.name.replace(/[^\w\u4e00-\u9fff]+/g, '-').replace(/^-|-$/g, '')}.png`
      await page.screenshot({ path: path.join(SHOTS, shot) }).catch(() => {})
      await afterFailure(context)
    } finally {
      clearTimeout(timer)
    }
  }

  await context.close().catch(() => {})
  fs.rmSync(userDataDir, { recursive: true, force: true })
  cleanup()
  console.log(`${suite}: ${passed} passed, ${failed} failed`)
  process.exit(failed ? 1 : 0)
}

// ---------------------------------------------------------------- never a double booking (issue 11)

/**
 * A person serves one batch a day, and every script uses the same cast: the first exam day from
 * today + `from` on where `count` eligible assessors of the caller's station for occupation occId
 * (and `supervisors` supervisors, asked with `center`, a center client) are free (names,
 * supervisorNames: only these people), and, for each { occupationId, names } of `also`, all of those
 * named assessors of that occupation are free too →
 * { examDate, assessors: [{ id, name }], supervisors: [{ id, name }] }.
 */
export async function freeExamDay(station, occId, { from = 50, count = 1, supervisors = 0, center = null, names = null, supervisorNames = null, also = [] } = {}) {
  const wanted = (list) => (p) => !p.busy && (!list || list.includes(p.name)) // names: only these people (the demo cast)
  const eligibleOn = async (occ, examDate, list) =>
    (await station.get(`/api/experts/eligible?occupation_id=${occ}&exam_date=${examDate}`)).items.filter(wanted(list))
  days: for (let d = from; d < from + 200; d++) {
    const examDate = beijingDay(d)
    const eligible = await eligibleOn(occId, examDate, names)
    if (eligible.length < count) continue
    for (const more of also) if ((await eligibleOn(more.occupationId, examDate, more.names)).length < more.names.length) continue days
    let sup = []
    if (supervisors) {
      sup = (await center.get(`/api/experts?role=supervisor&per_page=100&busy_on=${examDate}`)).items.filter(wanted(supervisorNames))
      if (sup.length < supervisors) continue
    }
    return { examDate, assessors: eligible.slice(0, count), supervisors: sup.slice(0, supervisors) }
  }
  fail(`no free exam day for occupation ${occId}`)
}

/**
 * A second browser for scripts that act as several people at once (one context each, e.g. the
 * assessors and supervisors of scores.mjs): newContext() gives a context whose pages log page
 * errors and console errors into `problems` (check them in the case). close() when done.
 */
export async function extraBrowser(problems) {
  const browser = await loadChromium().launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })
  return {
    browser,
    async newPage() {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
      await withoutMotion(context)
      const page = await context.newPage()
      page.setDefaultTimeout(STEP_TIMEOUT_MS)
      page.on('pageerror', (err) => problems.push(`page error: ${err.message}`))
      page.on('console', (msg) => {
        if (msg.type() === 'error' && !isApi(msg.location()?.url || '')) problems.push(`console error: ${msg.text()}`)
      })
      return page
    },
    close: () => browser.close().catch(() => {}),
  }
}
