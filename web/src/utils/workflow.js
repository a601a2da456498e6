// The detail page of an object that moves through a review chain (年度计划, 批次): loading it with its
// error states, the actions the server allows now (`actions`, read from the module's state table —
// the page never guesses), and running one of them after a confirmation with the reviewer's comment.
import { computed, onMounted, ref, watch } from 'vue'
import { ElMessageBox } from 'element-plus'
import 'element-plus/es/components/message-box/style/css'
import { showError, showSuccess } from './notify.js'

/**
 * options:
 *   id          a ref/computed/getter of the object's id
 *   fetch(id)   loads the object
 *   send(id, action, comment)  runs an action, resolves to the object as it now is
 *   notFound    the message for a 404 (another org's object), unreadable for other failures
 *   confirm     {action: {title, text, button, done}} for every action the page offers
 *   commentLabel  the comment box's name in messages (审核意见 / 审批意见)
 */
export function useWorkflowDetail(options) {
  const { fetch, send, notFound, unreadable, confirm, commentLabel = '审核意见' } = options
  const idOf = () => (typeof options.id === 'function' ? options.id() : options.id.value)
  const obj = ref(null)
  const loading = ref(true)
  const loadError = ref('')
  const comment = ref('')
  const commentError = ref('')
  const busy = ref('')

  async function load() {
    loading.value = true
    loadError.value = ''
    try {
      obj.value = await fetch(idOf())
    } catch (err) {
      obj.value = null
      loadError.value = err?.status === 404 ? notFound : err?.message || unreadable
    } finally {
      loading.value = false
    }
  }
  onMounted(load)
  watch(idOf, load)

  const can = computed(() => new Set(obj.value?.actions || []))
  const reviewing = computed(() => can.value.has('approve') || can.value.has('reject'))

  async function act(action) {
    commentError.value = ''
    const text = comment.value.trim()
    if (action === 'reject' && !text) {
      commentError.value = `拒绝时请填写${commentLabel}`
      return
    }
    const c = confirm[action]
    try {
      await ElMessageBox.confirm(c.text, c.title, {
        type: action === 'reject' ? 'warning' : 'info',
        confirmButtonText: c.button,
        cancelButtonText: '取消',
      })
    } catch {
      return
    }
    busy.value = action
    try {
      obj.value = await send(idOf(), action, action === 'submit' ? undefined : text)
      comment.value = ''
      showSuccess(c.done)
    } catch (err) {
      if (err?.status === 422 && err.fields?.length) {
        const messages = err.fields.map((f) => f.message).join('；')
        if (action === 'submit' || action === 'submit_registration') showError({ message: `${err.fields.length} 处需要修改：${messages}` })
        else commentError.value = messages
      } else {
        showError(err)
      }
      if (err?.status === 409) load()
    } finally {
      busy.value = ''
    }
  }

  return { obj, loading, loadError, comment, commentError, busy, load, can, reviewing, act }
}
