// Helpers shared by the plan pages: status tag colours, reviewer roles, downloads.

/** Element Plus tag type per status. */
export const STATUS_TAG = { draft: 'info', level2_review: 'warning', center_review: 'warning', approved: 'success', rejected: 'danger' }

export const REVIEWER_ROLES = ['org2', 'center_staff', 'center_director']
export const FILER_ROLES = ['org2', 'station']

export { saveBlob } from '../../utils/download.js'

/** 'YYYYMMDD-HHmm' of now, for download names. */
export function stamp() {
  const d = new Date()
  const pad = (n) => String(n).padStart(2, '0')
  return `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}`
}
