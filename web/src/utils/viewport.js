// The phone breakpoint of the SPA (under 768 px: candidates' and experts' phones) as a reactive flag.
import { onBeforeUnmount, ref } from 'vue'

export const PHONE_QUERY = '(max-width: 767px)'

/** A ref that is true while the window is phone-sized; call it in a component's setup. */
export function useIsPhone() {
  const query = window.matchMedia(PHONE_QUERY)
  const isPhone = ref(query.matches)
  const onChange = (e) => {
    isPhone.value = e.matches
  }
  query.addEventListener('change', onChange)
  onBeforeUnmount(() => query.removeEventListener('change', onChange))
  return isPhone
}
