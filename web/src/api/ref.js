// Reference data API (backend module ref): occupations with directions, levels, categories, regions.
// Occupations and regions are public; levels and categories need a session. Stable lists are cached.
import http from './http.js'

/** Category codes (API `category`) and their names (DESIGN.md glossary). */
export const CATEGORY_TEXT = { national: '国家职业技能鉴定', industry: '行业能力水平评价' }
export const CATEGORIES = ['national', 'industry']

/** Level codes 5..1 and both words (DESIGN.md 4a). */
export const LEVEL_TEXT = { 5: '初级/五级', 4: '中级/四级', 3: '高级/三级', 2: '技师/二级', 1: '高级技师/一级' }

let occupationsPromise = null

/**
 * The top-level occupations, each { id, name, categories, levels, aliases, directions: [{ id, name }] },
 * cached per page load (q and category are asked of the server every time).
 */
export function listOccupations({ q, category } = {}) {
  if (q || category) return http.get('/api/ref/occupations', { query: { q, category } }).then((r) => r?.items || [])
  if (!occupationsPromise) {
    occupationsPromise = http
      .get('/api/ref/occupations')
      .then((r) => r?.items || [])
      .catch((err) => {
        occupationsPromise = null
        throw err
      })
  }
  return occupationsPromise
}

/** [{ code, name, grade, label }] for 5..1. */
export function listLevels() {
  return http.get('/api/ref/levels').then((r) => r?.items || [])
}

/** [{ code, name }] of national and industry. */
export function listCategories() {
  return http.get('/api/ref/categories').then((r) => r?.items || [])
}

/** Regions under parent (provinces without it): [{ code, name, level, parent_code, has_children }]. */
export function listRegions(parent) {
  return http.get('/api/ref/regions', { query: { parent } }).then((r) => r?.items || [])
}

/** One region with its path: { code, name, level, full_name, path: [{ code, name }] }. */
export function getRegion(code) {
  return http.get(`/api/ref/regions/${encodeURIComponent(code)}`)
}
