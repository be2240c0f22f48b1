// The disputes API's shapes as these pages use them (the contract's schemas: Dispute,
// DisputeListItem, DisputeStats …). Kept here so the pages build before the shared
// schema.d.ts is regenerated with the disputes contract.
export interface Fraction { numerator: number; denominator: number }
export interface Shares { in_compound: Fraction; at_or_below_street: Fraction; above_street: Fraction }
export interface Party { person_id: string; role: string; name?: string | null }
export interface Dispute {
  id: string; number: string; unit_id: string; compound_id: string; path: string; source: string
  category: string; subtype?: string | null; description: string; urgency: string; risk_flags: string[]
  parties: Party[]; state: string; level: string; outcome?: string | null; concluded_level?: string | null
  registered_at: string; closed_at?: string | null; due_on?: string | null; overdue: boolean
  confirmation?: { offered: boolean; last_day?: string | null; approximate: boolean } | null
  allowed_actions: string[]; version: number
}
export interface DisputeListItem {
  id: string; number: string; unit_id: string; category: string; subtype?: string | null; summary: string
  urgency: string; state: string; level: string; overdue: boolean; registered_at: string; due_on?: string | null
}
export interface Page<T> { items: T[]; next_cursor?: string | null }
export interface LogEntry { seq: number; at: string; action: string; actor_kind: string; detail: Record<string, unknown>; hash: string }
export interface CaseRecord { id: string; kind: string; text: string; created_at: string }
export interface Attachment { id: string; filename: string; content_type: string; size: number; caption: string }
export interface ChainCheck { ok: boolean; entries: number; first_bad_seq?: number | null; reason?: string | null }
export interface StatsRow { key: string; name: string; registered: number; concluded: number; settled: number; shares: Shares }
export interface Stats {
  registered: number; concluded: number; settled: number; closed: number; overdue: number
  resolution_rate: Fraction; shares: Shares; average_days_to_close: Fraction
  by_category: StatsRow[]; by_month: StatsRow[]; by_unit: StatsRow[]; zero_case_compounds: { unit_id: string; name: string }[]
}
export interface Campaign { id: string; name: string; starts_on: string; ends_on: string; state: string; issue_types: string[] }
export interface CampaignProgress {
  total: number; closed: number
  units: { unit_id: string; name: string; total: number; closed: number; by_state: Record<string, number> }[]
}
