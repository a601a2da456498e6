// How an open batch item or an enrollment names its batch, org and occupation, whichever shape the server
// gives (nested objects or flat names).
import { LEVEL_SHORT } from './shared.js'

const CATEGORY_TEXT = { national: '国家职业技能鉴定', industry: '行业能力水平评价' }

/** '国家职业技能鉴定 中级 汽车装调工（方向）'. */
export function itemText(it) {
  if (!it) return ''
  const category = it.category_text || CATEGORY_TEXT[it.category] || ''
  const level = it.level_text || LEVEL_SHORT[it.level] || ''
  const occ = it.occupation?.name || it.occupation_name || it.occupation || ''
  const dir = it.direction?.name || it.direction_name || ''
  return [category, level, dir ? `${occ}（${dir}）` : occ].filter(Boolean).join(' ')
}

/** The batch's name. */
export function itemBatchName(it) {
  return it?.batch?.name || it?.batch_name || ''
}

/** The station's name (鉴定机构). */
export function itemOrgName(it) {
  return it?.org?.name || it?.org_name || it?.batch?.org?.name || it?.item?.org?.name || ''
}
