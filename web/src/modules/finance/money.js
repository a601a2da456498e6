// Money in the SPA: the server speaks integer fen; pages show yuan with two decimals and parse what users type
// without floating point (a string split at the point, never parseFloat).

/** 123450 → "1234.50" */
export function yuan(fen) {
  if (fen === null || fen === undefined) return ''
  const n = BigInt(fen)
  const neg = n < 0n
  const a = neg ? -n : n
  return `${neg ? '-' : ''}${a / 100n}.${String(a % 100n).padStart(2, '0')}`
}

/** "1234.5" → 123450; null for anything that is not an amount with at most two decimals. */
export function toFen(text) {
  const m = /^\s*(\d{1,12})(?:\.(\d{1,2}))?\s*$/.exec(String(text ?? ''))
  if (!m) return null
  return Number(m[1]) * 100 + Number((m[2] || '').padEnd(2, '0'))
}
