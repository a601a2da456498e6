// Helpers of the bank pages: occupation options (the caller's approved scope where it has one), level
// options, downloads and 422 field errors.
import { getOrg } from '../../api/org.js'
import { listOccupations, LEVEL_TEXT } from '../../api/ref.js'

export const LEVEL_OPTIONS = [5, 4, 3, 2, 1].map((code) => ({ value: code, label: LEVEL_TEXT[code] }))

/**
 * Occupations as select options, each occupation followed by its directions: [{ id, name, label }].
 * A station gets only its approved scope (注意事项 ①: 职业/工种为本机构的考评范围); others get the whole list.
 */
export async function occupationOptions(session, { scopeOnly = false } = {}) {
  const all = await listOccupations()
  let allowed = null
  if (scopeOnly && session?.role === 'station' && session.user?.org_id) {
    try {
      const org = await getOrg(session.user.org_id)
      allowed = new Set([...(org?.scopes?.national || []), ...(org?.scopes?.industry || [])].map((o) => o.id))
    } catch {
      allowed = null
    }
  }
  const out = []
  for (const o of all) {
    if (allowed && !allowed.has(o.id)) continue
    out.push({ id: o.id, name: o.name, label: o.name })
    for (const d of o.directions || []) out.push({ id: d.id, name: d.name, label: `${o.name} › ${d.name}` })
  }
  return out
}

export { saveBlob } from '../../utils/download.js'

/** Option letters for index i (0 → A). */
export const letter = (i) => String.fromCharCode(65 + i)

/**
 * Puts the 422 field errors of err into errors ({ field: message }, reactive), after clearing it; returns
 * the messages of fields the form does not show, joined ('' if none).
 */
export function applyFieldErrors(err, errors, known = () => true) {
  for (const k of Object.keys(errors)) delete errors[k]
  const rest = []
  for (const f of err?.fields || []) {
    if (f.field && known(f.field)) errors[f.field] = errors[f.field] ? `${errors[f.field]}；${f.message}` : f.message
    else if (f.message) rest.push(f.message)
  }
  if (!(err?.fields || []).length) return err?.message || ''
  return rest.join('；')
}

export const isOrg = (role) => role === 'org2' || role === 'station'
