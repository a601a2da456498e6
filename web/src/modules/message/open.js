// Following a message's deep link (点击进入): mark it read, then open the page it names.
import { markRead } from '../../api/message.js'

/** True for links inside the logged-in area (the only ones a message may carry). */
export function isAppLink(link) {
  return typeof link === 'string' && /^\/app(?:[/?#]|$)/.test(link)
}

/** Marks msg read (errors ignored: the page still opens) and navigates to its link. */
export async function openMessage(router, msg) {
  if (!msg.read) {
    try {
      await markRead(msg.id)
      msg.read = true
    } catch {
      // the link still opens; the message stays unread
    }
  }
  if (isAppLink(msg.link)) await router.push(msg.link)
}
