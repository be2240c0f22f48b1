// An API refusal's own message, else the network message, as a Vant toast (one place for
// these pages; the phone app has no shared helper for it yet).
import { showFailToast } from 'vant'
import { ApiError } from '@/api/client'
import { i18n } from '@/i18n'

export function showFailure(error: unknown): void {
  showFailToast(error instanceof ApiError ? error.message : i18n.global.t('common.networkError'))
}
