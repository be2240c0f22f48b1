// The deliberation API's shapes the pages use (the contract's schemas, trimmed).
export interface Page<T> { items: T[]; next_cursor: string | null }
export interface AgendaItem { id: string; seq: number; title: string; category: string; rule: string }
export interface Matter {
  id: string; compound_id: string; title: string; category: string; status: string
  items: AgendaItem[]; noticed_on: string | null; notice_period_ends: string | null
  voting_ends_on: string | null; total_area: number | null; total_owners: number | null
}
export interface TurnoutItem { item_id: string; title: string; participating_owners: number; participating_area: number }
export interface Turnout { total_area: number; total_owners: number; items: TurnoutItem[] }
export interface ItemResult {
  item_id: string; title: string; rule: string; total_owners: number; total_area: number
  participating_owners: number; participating_area: number; yes_owners: number; yes_area: number
  quorum_met: boolean; passed: boolean
}
export interface MatterResult { items: ItemResult[]; posted_until: string; challenge_until: string }
export interface Ballot { id: string; item_id: string; choice: string; receipt_code: string; version: number }
export interface MyBallots { entry_id: string | null; area: number | null; ballots: Ballot[] }
export interface Appeal {
  id: string; summary: string; category: string; status: string; responsible: string | null
  reply_due_on: string | null; overdue: boolean; anonymous: boolean; reply: string | null; mine: boolean
}
export interface Mirror {
  topics: { category: string; appeals: number; answered: number }[]
  responses: { category: string; summary: string; reply: string }[]
}
export interface FileRef { address: string; filename: string }
