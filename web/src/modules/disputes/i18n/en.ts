export default {
  menu: { cases: 'Disputes', stats: 'Dispute statistics', campaigns: 'Campaigns' },
  cases: {
    title: 'Dispute ledger', q: 'Keywords', search: 'Search', state: 'State', category: 'Category', level: 'Level',
    overdue: 'Overdue only', all: 'All', number: 'Number', summary: 'Summary', registered: 'Registered', due: 'Due',
    isOverdue: 'Overdue', open: 'Open', pickScope: 'Pick a scope at the top of the page', ledger: 'Export ledger',
  },
  case: {
    title: 'Dispute', parties: 'Parties', description: 'What happened', source: 'Source', urgency: 'Urgency',
    action: 'Action', reason: 'Reason or content', pickAction: 'Choose an action', submit: 'Submit', done: 'Done: {action}',
    log: 'Case log (hash chain)', records: 'Case file', attachments: 'Evidence', check: 'Check the log chain',
    chainOk: 'The chain is whole: {n} entries', chainBad: 'The chain is broken at entry {seq} ({reason})',
    seq: 'No.', at: 'Time', actionCol: 'Action', actor: 'Actor', hash: 'Hash', confirmation: 'Judicial confirmation until',
    notOffered: 'Not open to judicial confirmation', document: 'Print', agreementPdf: 'Agreement',
    confirmationPdf: 'Confirmation application', caseFilePdf: 'Case file', recordKind: 'Kind', addRecord: 'Add a record',
    recordText: 'Content', concluded: 'Concluded at', toBody: 'Passed to', mediator: 'Mediator (person id)',
    routes: 'Other routes the parties were told of',
  },
  stats: {
    title: 'Dispute statistics', from: 'From', to: 'To', load: 'Show', registered: 'Registered', concluded: 'Concluded',
    settled: 'Settled', rate: 'Settled of concluded', inCompound: 'Resolved in the compound',
    atOrBelowStreet: 'Resolved at or below the street', aboveStreet: 'Passed above the street', avgDays: 'Average days to close',
    overdue: 'Overdue', byUnit: 'By unit', byMonth: 'By month', zero: 'Compounds with no case', unit: 'Unit', month: 'Month',
    chart: 'The three shares (%)', monthly: 'Export monthly report',
  },
  campaigns: {
    title: 'Campaigns', name: 'Name', period: 'Period', state: 'State', progress: 'Progress', unit: 'Unit',
    total: 'Items', closed: 'Closed', close: 'Close the campaign', closedOk: 'The campaign is closed',
  },
  h5: {
    report: 'Report a problem', mine: 'My disputes', reportTitle: 'Report a dispute', description: 'What is the problem',
    descriptionHint: 'What happened, who is involved, what would settle it', category: 'Kind of problem',
    photo: 'A photo (optional)', submit: 'Submit', submitted: 'Sent, number {number}', required: 'Describe the problem',
    empty: 'No disputes yet', state: 'Progress', registered: 'Registered', detail: 'Dispute', photoAdded: 'Photo chosen',
  },
}
