// Shared tables and checks of the enrollment pages: the form's choice lists, the 申报条件 of each level as the
// national occupational standards word them (shown when the server gives none), status words and the client
// rules (the same messages as the server's).
export const LEVEL_NAME = { 5: '五级/初级工', 4: '四级/中级工', 3: '三级/高级工', 2: '二级/技师', 1: '一级/高级技师' }
export const LEVEL_SHORT = { 5: '初级', 4: '中级', 3: '高级', 2: '技师', 1: '高级技师' }
export const IDENTITY_TEXT = { employed: '在职人员', student: '在校学生' }
export const EDUCATION = ['小学', '初中', '高中', '中专', '技校', '大专', '本科', '硕士研究生', '博士研究生']
export const EMPLOYER_TYPES = ['国有企业', '民营企业', '外资企业', '合资企业', '事业单位', '机关', '其他']

/** What each level requires (职业技能标准 "基本要求"), for the 考生承诺书. */
export const LEVEL_ABILITY = {
  5: '能够运用基本技能独立完成本职业的常规工作。',
  4: '能够熟练运用基本技能独立完成本职业的常规工作；在特定情况下，能够运用专门技能完成技术较为复杂的工作；能够与他人合作。',
  3: '能够熟练运用基本技能和专门技能完成本职业较为复杂的工作，包括完成部分非常规性的工作；能够独立处理工作中出现的问题；能指导和培训初、中级工。',
  2: '能够熟练运用专门技能和特殊技能完成本职业复杂的、非常规性的工作；掌握本职业的关键技术技能，能够独立处理和解决技术或工艺难题；在技术技能方面有创新；能指导和培训初、中、高级工；具有一定的技术管理能力。',
  1: '能够熟练运用专门技能和特殊技能在本职业的各个领域完成复杂的、非常规性工作；熟练掌握本职业的关键技术技能，能够独立处理和解决高难度的技术问题或工艺难题；在技术攻关和工艺革新方面有创新；能组织开展技术改造、技术革新活动；能组织开展系统的专业技术培训；具有技术管理能力。',
}

/** 申报条件 per level (used only when the server's list is not available). */
export const LEVEL_CONDITIONS = {
  5: [
    { code: '1', text: '累计从事本职业或相关职业工作1年（含）以上。', needs_cert: false },
    { code: '2', text: '本职业或相关职业学徒期满。', needs_cert: false },
  ],
  4: [
    { code: '1', text: '取得本职业或相关职业五级/初级工职业资格证书（技能等级证书）后，累计从事本职业或相关职业工作4年（含）以上。', needs_cert: true },
    { code: '2', text: '累计从事本职业或相关职业工作6年（含）以上。', needs_cert: false },
    {
      code: '3',
      text: '取得技工学校本专业或相关专业毕业证书（含尚未取得毕业证书的在校应届毕业生）；或取得经评估论证、以中级技能为培养目标的中等及以上职业学校本专业或相关专业毕业证书（含尚未取得毕业证书的在校应届毕业生）。',
      needs_cert: false,
    },
  ],
  3: [
    { code: '1', text: '取得本职业或相关职业四级/中级工职业资格证书（技能等级证书）后，累计从事本职业或相关职业工作5年（含）以上。', needs_cert: true },
    {
      code: '2',
      text: '取得四级/中级工职业资格证书（技能等级证书），并具有高级技工学校、技师学院毕业证书（含尚未取得毕业证书的在校应届毕业生）；或取得四级/中级工职业资格证书（技能等级证书），并具有经评估论证、以高级技能为培养目标的高等职业学校本专业或相关专业毕业证书（含尚未取得毕业证书的在校应届毕业生）。',
      needs_cert: true,
    },
    { code: '3', text: '具有大专及以上本专业或相关专业毕业证书，并取得本职业或相关职业四级/中级工职业资格证书（技能等级证书）后，累计从事本职业或相关职业工作2年（含）以上。', needs_cert: true },
  ],
  2: [
    { code: '1', text: '取得本职业或相关职业三级/高级工职业资格证书（技能等级证书）后，累计从事本职业或相关职业工作4年（含）以上。', needs_cert: true },
    {
      code: '2',
      text: '取得本职业或相关职业三级/高级工职业资格证书（技能等级证书）的高级技工学校、技师学院毕业生，累计从事本职业或相关职业工作3年（含）以上；或取得本职业或相关职业预备技师证书的技师学院毕业生，累计从事本职业或相关职业工作2年（含）以上。',
      needs_cert: true,
    },
  ],
  1: [{ code: '1', text: '取得本职业或相关职业二级/技师职业资格证书（技能等级证书）后，累计从事本职业或相关职业工作4年（含）以上。', needs_cert: true }],
}

/** The number of a condition as the manual writes it: '1' → '(1)', 'other' → '其他'. */
export const conditionLabel = (code) => (code === 'other' ? '其他' : `(${code})`)

/** The status words of an enrollment (server's status_text first). */
export function statusText(e) {
  if (e?.status_text) return e.status_text
  return { submitted: '等待审核', rejected: '报名被拒绝' }[e?.status] || e?.status || ''
}

/** The rejection reason when the status words do not already carry it. */
export function extraReason(e) {
  const r = e?.reject_reason
  return e?.status === 'rejected' && r && !statusText(e).includes(r) ? r : ''
}

/** An empty 工作经历 / 学习经历 row. */
export const emptyHistory = () => ({ from: '', to: '', place: '', dept: '', work: '' })

/**
 * The client rules of the form, worded as the server words them (lib/enroll.c checks them again):
 * { field: message } for each broken one.
 * `conditions` are the level's conditions (needs_cert marks those that require a prior certificate).
 */
export function checkForm(f, conditions) {
  const e = {}
  const blank = (v) => v === null || v === undefined || String(v).trim() === ''
  const need = (field, value, label) => {
    if (blank(value)) e[field] = `请填写${label}`
  }
  const image = (field, value, label) => {
    if (!value) e[field] = `请上传${label}`
  }
  need('education', f.education, '文化程度')
  const history = f.identity === 'student' ? '学习经历' : '工作经历'
  if (f.identity === 'employed') {
    need('employer', f.employer, '工作单位')
    need('employer_type', f.employer_type, '单位性质')
    need('occupation_now', f.occupation_now, '当前从事职业')
    need('work_start', f.work_start, '参加工作时间')
    need('years_in_trade', f.years_in_trade, '本工种工龄')
  } else {
    need('school', f.school, '就读学校')
    need('major', f.major, '专业')
    need('enrolled_on', f.enrolled_on, '入学时间')
    image('student_card_file_id', f.student_card_file_id, '学生证图片')
  }
  if (!f.history.length) e.history = `请至少填写一条${history}`
  f.history.forEach((h, i) => {
    if (!h.from) e[`history[${i}].from`] = '请填写起始时间'
    if (blank(h.place)) e[`history[${i}].place`] = '请填写单位或学校名称'
    if (h.from && h.to && h.to < h.from) e[`history[${i}].to`] = '结束时间不能早于起始时间'
  })
  const p = f.prior_cert
  const parts = { level: p.level, name: p.name, no: p.no, issuer: p.issuer, file_id: p.file_id }
  const labels = { level: '已取得职业技能等级', name: '已取得证书名称', no: '已取得证书编号', issuer: '发证单位', file_id: '证书图片' }
  const filled = Object.values(parts).filter((v) => !blank(v)).length
  if (filled > 0 && filled < 5) {
    for (const [k, v] of Object.entries(parts)) if (blank(v)) e[`prior_cert.${k}`] = `已取得证书的五项须全部填写或全部不填：请填写${labels[k]}`
  }
  if (!blank(p.no) && !/^(\d{16}|\d{19})$/.test(String(p.no).trim())) e['prior_cert.no'] = '证书编号应为 16 位数字（本平台颁发的证书为 19 位）'
  image('photo_file_id', f.photo_file_id, '考生照片')
  image('id_card_file_id', f.id_card_file_id, '身份证（正面）图片')
  const cond = (conditions || []).find((c) => c.code === f.condition)
  if (!f.condition) e.condition = `请选择该等级的申报条件（1–${(conditions || []).length}）或“其他”`
  else if (f.condition === 'other' && blank(f.condition_other)) e.condition_other = '选择“其他”时请填写补充信息'
  else if (cond?.needs_cert && filled === 0) e.prior_cert = '所选申报条件要求已取得证书：请填写已取得证书的五项'
  return e
}

/** The request body of POST /api/enrollments (and the preview) from the form. */
export function formBody(f) {
  const p = f.prior_cert
  const hasPrior = [p.level, p.name, p.no, p.issuer, p.file_id].some((v) => v !== null && v !== undefined && String(v).trim() !== '')
  const employed = f.identity === 'employed'
  return {
    batch_item_id: f.batch_item_id,
    identity: f.identity,
    education: f.education,
    employer: employed ? f.employer : null,
    employer_type: employed ? f.employer_type : null,
    occupation_now: employed ? f.occupation_now : null,
    work_start: employed ? f.work_start || null : null,
    years_in_trade: employed && f.years_in_trade !== null && f.years_in_trade !== undefined && f.years_in_trade !== '' ? Number(f.years_in_trade) : null,
    school: employed ? null : f.school,
    major: employed ? null : f.major,
    enrolled_on: employed ? null : f.enrolled_on || null,
    history: f.history.map((h) => ({ from: h.from, to: h.to || null, place: h.place, dept: h.dept || null, work: h.work || null })),
    prior_cert: hasPrior ? { level: p.level ? Number(p.level) : null, name: p.name, no: String(p.no || '').trim(), issuer: p.issuer, file_id: p.file_id } : null,
    photo_file_id: f.photo_file_id,
    id_card_file_id: f.id_card_file_id,
    student_card_file_id: employed ? null : f.student_card_file_id,
    condition: f.condition,
    condition_other: f.condition === 'other' ? f.condition_other : null,
    dual_cert: Boolean(f.dual_cert),
  }
}

/** A 422's field errors as { field: message } (history.0.from and history[0].from both accepted). */
export function fieldErrors(err) {
  const out = {}
  for (const f of err?.fields || []) {
    if (!f.field) continue
    const key = f.field.replace(/\.(\d+)(?=\.|$)/g, '[$1]')
    out[key] = f.message
  }
  return out
}
