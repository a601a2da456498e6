// Downloads in the browser: the one way every page saves an exported file (CSV, XLSX, DOCX).

/** Saves a Blob as a download named `name`. */
export function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}
