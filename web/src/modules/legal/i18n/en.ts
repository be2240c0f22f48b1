export default {
  menu: { coverage: 'Legal-literate coverage', literates: 'Legal-literate persons', rosters: 'Lawyers on duty' },
  coverage: {
    title: 'Coverage by legal-literate persons', pickScope: 'Pick a community, street or compound at the top',
    compound: 'Compound', buildings: 'Buildings', covered: 'Covered', uncovered: 'Buildings without a confirmed person',
    none: 'All covered', community: 'Community', confirmed: 'Confirmed', target: 'Target', meets: 'Met', notMet: 'Not met',
    summary: '{n} buildings have no confirmed legal-literate person (target per community: at least {target})',
  },
  literates: {
    title: 'Legal-literate persons', name: 'Name', compound: 'Compound', buildings: 'Buildings', pool: 'Pool',
    status: 'Status', actions: 'Actions', assess: 'Assess', confirm: 'Confirm', reject: 'Reject', reason: 'Reason',
    card: 'Name card', promote: 'Promote', intake: 'Take in', person: 'Person', search: 'Search by name',
    nomination: 'Nomination', duties: 'Duties', contact: 'Contact route (no full phone number)', submit: 'Submit',
    target: 'Promote to', on: 'Day of promotion', disqualifications: 'Disqualifications', heldRoles: 'Posts held',
    seniorHigh: 'Senior-high education or above', refused: 'Refused: ', confirmedOk: 'Promotion took effect',
    warnings: 'Note: ', pickCompound: 'Pick a compound at the top', rejectReason: 'Give the reason for rejecting',
    done: 'Saved',
  },
  rosters: {
    title: 'Lawyers on duty', roster: 'Roster', pick: 'Pick a roster', publish: 'Publish', published: 'Published',
    draft: 'Draft', export: 'Export Excel', day: 'Day', morning: 'Morning', afternoon: 'Afternoon',
    shares: 'Shifts per lawyer', generate: 'Generate a roster', agreement: 'Adviser agreement', from: 'From', to: 'To',
    capacity: 'Places per shift', weekdays: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
    generated: 'Draft generated', publishedOk: 'Published', pickCompound: 'Pick a compound at the top',
    booked: '{n}/{c} booked',
  },
  h5: {
    duty: 'Legal advice', dutyTitle: 'Lawyers on duty', now: 'On duty now', next: 'Next', nobody: 'Nobody on duty now',
    slots: 'Times to book', book: 'Book', booked: 'Booked', full: 'Full', mine: 'My bookings', cancel: 'Cancel',
    bookedOk: 'Booked', cancelledOk: 'Cancelled', free: '{n} places left', noHome: 'Register your home first',
    profile: 'Legal-literate person', buildings: 'Buildings', duties: 'Duties', contact: 'Contact', pool: 'Pool',
    topic: 'Topic', defaultDuties: 'Collect opinions, explain law and policy, help resolve disputes, guide lawful practice',
  },
}
