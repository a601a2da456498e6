// Reference lists the expert forms pick from: occupations (GET /api/ref/occupations) and institutions
// (GET /api/orgs), both API.md contracts owned by other modules; cached per page load where stable.
import { listOccupations } from '../../api/ref.js'
import { listOrgs } from '../../api/org.js'
import { todayBeijing } from '../../utils/format.js'

let occupationsPromise = null

/**
 * Occupations as select options, each top-level occupation followed by its directions (职业方向):
 * [{ id, name, label, parentId }]; a certificate for an occupation also covers its directions (R9).
 */
export function occupationOptions() {
  if (!occupationsPromise) {
    occupationsPromise = listOccupations()
      .then((items) => {
        const out = []
        for (const o of items) {
          out.push({ id: o.id, name: o.name, label: o.name, parentId: null })
          for (const d of o.directions || []) out.push({ id: d.id, name: d.name, label: `${o.name} › ${d.name}`, parentId: o.id })
        }
        return out
      })
      .catch((err) => {
        occupationsPromise = null // try again next time
        throw err
      })
  }
  return occupationsPromise
}

/** Institutions in the caller's scope whose name or code contains q → [{ id, name, code, kind }]. */
export async function searchOrgs(q = '') {
  const res = await listOrgs({ q: q || undefined }, { perPage: 50 })
  return (res?.items || []).map((o) => ({ id: o.id, name: o.name, code: o.code, kind: o.kind }))
}

export { saveBlob } from '../../utils/download.js'

/** Today in Beijing as 'YYYY-MM-DD'. */
export function today() {
  return todayBeijing()
}

/** True when a certificate is not valid today (valid_until before today). */
export function isExpired(cert) {
  return !!cert?.valid_until && cert.valid_until < today()
}

/**
 * Puts the 422 field errors of err into errors ({ serverFieldName: message }, reactive), after clearing it.
 * Returns the messages of fields the form does not show (known(field) false), joined; '' if none.
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
