// The legal API's shapes as these pages use them (the contract's schemas). Kept here so
// the pages build before the shared schema.d.ts is regenerated with the legal contract.
export interface Page<T> { items: T[]; next_cursor?: string | null }
export interface BuildingRef { id: string; name: string }
export interface Literate {
  id: string; person_id: string; name: string; compound_id: string; compound_name?: string | null; pool: string
  nomination: string; status: string; duties?: string | null; contact_route?: string | null
  rejection_reason?: string | null; buildings: BuildingRef[]; created_at: string; confirmed_at?: string | null
}
export interface LiterateProfile {
  id: string; name: string; compound_name?: string | null; buildings: BuildingRef[]; duties?: string | null
  contact_route?: string | null; pool: string
}
export interface CompoundCoverage { compound_id: string; compound_name: string; buildings: number; covered: number; uncovered: BuildingRef[] }
export interface CommunityCoverage { community_id: string; community_name: string; confirmed: number; target: number; meets_target: boolean }
export interface Coverage {
  unit_id: string; compounds: CompoundCoverage[]; communities: CommunityCoverage[]; buildings_without: number
  target_per_community: number
}
export interface Reason { code: string; zh: string; en: string }
export interface Promotion { id: string; target: string; outcome: string; reasons: Reason[]; warnings: Reason[] }
export interface Shift {
  id: string; roster_id: string; helper_id: string; helper_name: string; helper_kind: string; starts_at: string
  ends_at: string; part: string; capacity: number; booked: number; version: number
}
export interface RosterSummary { id: string; compound_id: string; compound_name?: string | null; starts_on: string; ends_on: string; status: string }
export interface Roster extends RosterSummary { agreement_id: string; shifts: Shift[]; shares: Record<string, number> }
export interface Agreement { id: string; firm_name: string; starts_on: string; ends_on: string; compound_ids: string[] }
export interface DutyEntry { shift_id: string; helper_name: string; helper_kind: string; starts_at: string; ends_at: string; capacity: number }
export interface DutyNow { compound_id: string; now: DutyEntry[]; next: DutyEntry[] }
export interface Slot { shift_id: string; helper_name: string; starts_at: string; ends_at: string; capacity: number; booked: number; free: number }
export interface Booking { id: string; shift_id: string; status: string; starts_at: string; ends_at: string; helper_name: string; topic: string }
