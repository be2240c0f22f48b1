// Vant renders toasts as popups with role="dialog" and no name (axe: serious). A toast is
// a status message: give it that role and read its text out politely.
export function toastsAsStatus(root: HTMLElement = document.body): MutationObserver {
  const fix = (): void => {
    root.querySelectorAll<HTMLElement>('.van-toast[role="dialog"]').forEach((toast) => {
      toast.setAttribute('role', 'status')
      toast.setAttribute('aria-live', 'polite')
      toast.removeAttribute('aria-modal')
    })
  }
  const observer = new MutationObserver(fix)
  observer.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ['role'] })
  fix()
  return observer
}
