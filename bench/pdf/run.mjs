// run.mjs - how long the 个人申报表 PDF takes (issue 10's closing note): one form, the 100 forms of a roster one
// after another, and the roster's xlsx export with 100 candidates, against a running instance. Setup: a batch of
// the 奔驰站 in 报名中 and one candidate enrolled through the API; 99 more candidates are copies of that enrollment
// written with psql (a bench fixture, not a test). Prints best / median / worst of REPEAT runs as seen by the
// client (the request's whole time: session, scope check, query, layout, the PDF writer, the transfer).
// The 100 forms run ALL_RUNS times (default 1).
//
//   KAOWU_URL=… KAOWU_HOME=… KAOWU_PG_PORT=… node bench/pdf/run.mjs      (bench/pdf/run.sh starts nothing)
import { BENZ, apiLogin, psql, registeringBatch, enrolledCandidate } from '../../test/e2e/_runner.mjs'

const REPEAT = Number(process.env.REPEAT || 5)
const N = 100

async function timed(fn) {
  const t0 = process.hrtime.bigint()
  const out = await fn()
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, out }
}

function stats(label, runs, extra = '') {
  const s = [...runs].sort((a, b) => a - b)
  const f = (x) => x.toFixed(1).padStart(8)
  console.log(`${label.padEnd(44)} best ${f(s[0])} ms  median ${f(s[Math.floor(s.length / 2)])} ms  worst ${f(s[s.length - 1])} ms${extra}`)
}

const { batchId, itemId } = await registeringBatch()
const { enrollmentId } = await enrolledCandidate(itemId, '计时考生')
// fixture: 99 more candidates of the item, copies of the first enrollment (IDs 1980-01-01 + serial)
psql(`WITH c AS (
        INSERT INTO candidates (id_number, real_name, sex, birth_date, email, phone)
        SELECT '11010519800101' || lpad(g::text, 3, '0') || 'X', '计时考生' || g, 'M', '1980-01-01', 'b' || g || '@bench.example', '13900000000'
        FROM generate_series(1, ${N - 1}) g
        ON CONFLICT (id_number) DO UPDATE SET real_name = EXCLUDED.real_name RETURNING id, id_number, real_name),
      a AS (
        INSERT INTO accounts (kind, username, role, display_name, candidate_id, password_hash, must_change_password)
        SELECT 'candidate', 'bench_pdf_' || c.id_number || '_${batchId}', 'candidate', c.real_name, c.id, 'x', false FROM c RETURNING id, candidate_id)
      INSERT INTO enrollments (candidate_id, account_id, item_id, batch_id, org_id, real_name, id_number, phone, identity, education,
        employer, employer_type, occupation_now, work_start, years_in_trade, photo_file_id, id_card_file_id, condition, dual_cert, created_at)
      SELECT c.id, a.id, e.item_id, e.batch_id, e.org_id, c.real_name, c.id_number, e.phone, e.identity, e.education,
        e.employer, e.employer_type, e.occupation_now, e.work_start, e.years_in_trade, e.photo_file_id, e.id_card_file_id, e.condition, e.dual_cert, now()
      FROM c JOIN a ON a.candidate_id = c.id, enrollments e WHERE e.id = ${enrollmentId}`)
const ids = psql(`SELECT id FROM enrollments WHERE item_id = ${itemId} ORDER BY id`).split('\n').map(Number)
if (ids.length !== N) throw new Error(`${ids.length} enrollments in the item, expected ${N}`)

const benz = await apiLogin('org', BENZ)
await benz.bytes(`/api/enrollments/${ids[0]}/form.pdf`) // warm: the worker's font and prepared statements
console.log(`bench/pdf: ${N} candidates in item ${itemId} (batch ${batchId}), ${REPEAT} runs each, ${process.env.KAOWU_URL}`)

const one = []
let size = 0
for (let i = 0; i < REPEAT; i++) {
  const { ms, out } = await timed(() => benz.bytes(`/api/enrollments/${ids[i % N]}/form.pdf`))
  if (out.subarray(0, 5).toString() !== '%PDF-') throw new Error('form.pdf is not a PDF')
  one.push(ms)
  size = out.length
}
stats('one 个人申报表 PDF', one, `  (${(size / 1024).toFixed(0)} KiB)`)

const all = []
for (let i = 0; i < Number(process.env.ALL_RUNS || 1); i++) {
  const { ms } = await timed(async () => {
    for (const id of ids) await benz.bytes(`/api/enrollments/${id}/form.pdf`)
  })
  all.push(ms)
}
stats(`${N} 个人申报表 PDFs one after another`, all)

const roster = []
for (let i = 0; i < REPEAT; i++) {
  const { ms, out } = await timed(() => benz.bytes(`/api/batches/${batchId}/items/${itemId}/roster?format=xlsx`))
  if (out.subarray(0, 2).toString() !== 'PK') throw new Error('the roster export is not an xlsx')
  roster.push(ms)
  size = out.length
}
stats(`roster export (xlsx, ${N} candidates)`, roster, `  (${(size / 1024).toFixed(0)} KiB)`)
