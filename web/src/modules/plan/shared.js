// Helpers shared by the plan pages: status tag colours, reviewer roles, downloads.

/** Element Plus tag type per status. */
export const STATUS_TAG = { draft: 'info', level2_review: 'warning', center_review: 'warning', approved: 'success', rejected: 'danger' }

export const REVIEWER_ROLES = ['org2', 'center_staff', 'center_director']
export const FILER_ROLES = ['org2', 'station']

import { stampBeijing } from '../../utils/format.js'

export { saveBlob } from '../../utils/download.js'

/** 'YYYYMMDD-HHmm' of now in Beijing, for download names. */
export function stamp() {
  return stampBeijing()
}
