export default {
  menu: { coverage: 'Five-haves coverage', claims: 'Resident claims', people: 'People', errands: 'Errands', accounts: 'Accounts and grants' },
  compound: {
    title: 'Compound', tabs: { units: 'Buildings and units', owners: 'Owners', electorate: 'Electorate', fiveHaves: 'Five haves', organisation: 'Organisation', workbook: 'Import / export' },
  },
  units: {
    retire: 'Retire', retireReason: 'Why (2 characters at least)', retired: 'Retired', search: 'Find a unit',
    move: 'Move', moveTo: 'To building', moved: 'Moved',
    buildings: 'Buildings', units: 'Units', addBuilding: 'Add building', addUnits: 'Add units', buildingName: 'Building name',
    unitNames: 'Unit names (several at once, separated by spaces or commas)', pickBuilding: 'Pick a building on the left', newName: 'New name',
    area: 'Registered area (m²)', setArea: 'Set area', areaSaved: 'Area saved', added: '{n} added', renamed: 'Renamed',
    unitName: 'Unit',
  },
  owners: { add: 'Record a unit\'s owner (transfer)', record: 'Record', creditCode: 'Credit code', title: 'Owners (ID numbers and phones hidden)', name: 'Owner', kind: 'Kind', units: 'Units', voter: 'Votes for' },
  electorate: {
    asOf: 'As of', totalOwners: 'Owners', totalArea: 'Total exclusive area (m²)', withoutOwner: 'Units without an owner',
    withoutArea: 'Units without an area', owner: 'Owner', area: 'Area (m²)', units: 'Units',
  },
  fiveHaves: { asOf: 'Date', has: 'Has', lacks: 'Lacks', complete: 'All five haves', incomplete: '{n} missing', grid: 'Grid worker on duty' },
  workbook: {
    counts: 'Result', countsText: '{imported} imported, {unchanged} unchanged, {errors} errors', by: 'By', at: 'When',
    template: 'Download the template', choose: 'Choose an .xlsx file', start: 'Import', export: 'Export the registry',
    progress: 'Progress', done: 'Done: {imported} rows changed, {unchanged} unchanged, {errors} with errors',
    failed: 'The import failed', running: 'Importing…', errors: 'Rows with errors', row: 'Row', reason: 'Reason',
    downloadErrors: 'Download the errors', noFile: 'Choose a file first', wholeFile: 'whole file', history: 'Past imports',
    file: 'File', status: 'Status', statuses: { running: 'running', done: 'done', failed: 'failed' },
  },
  coverage: {
    title: 'Five-haves coverage', unit: 'Over', pickUnit: 'Pick a street or community at the top of the page', asOf: 'As of',
    compounds: 'Compounds', complete: 'Complete', compound: 'Compound', export: 'Export', chart: 'Each have',
    has: 'Has', lacks: 'Lacks', grid: 'Grid worker on duty', load: 'Report',
  },
  claims: {
    title: 'Resident claims', status: 'Status', unit: 'Unit', relation: 'Relation', createdAt: 'Claimed at', confirm: 'Confirm',
    reject: 'Reject', confirmed: 'Confirmed', rejected: 'Rejected', note: 'Note', confirmAsk: 'Confirm this claim?',
  },
  organisation: {
    term: 'Term / contract', members: 'Members', member: 'Member', contact: 'Contact', address: 'Address', state: 'State', none: 'None',
    party: 'Party organisations', memberCount: '{n} members', grid: 'Micro-grid', onDuty: 'Grid workers on duty today', setUpMediation: 'Set up the mediation committee',
    termStart: 'Term starts', position: 'Position', remove: 'Remove', addMember: 'Add a member', submit: 'Set up',
    rules: { title: 'The composition rules are not met yet (People\'s Mediation Law arts. 8–9):', size: '3 to 9 members (now {n})',
      chair: 'exactly one chair', female: 'at least one woman' },
  },
  people: {
    title: 'People', q: 'Name', unit: 'Scope', searchName: 'Search by name', phone: 'Phone', idNumber: 'ID number', gender: 'Gender',
    reveal: 'Show in full', reason: 'Why (written to the audit log)', reasonRequired: 'Give a reason', revealed: 'In full (the read is audited)',
    pickScope: 'Pick a scope at the top of the page first',
  },
  residents: {
    title: 'Residents', moveIn: 'Move in', moveOut: 'Move out', name: 'Name', relation: 'Relation', since: 'Since', phone: 'Phone (optional)',
    idNumber: 'ID number (optional)', movedOut: 'Moved out', none: 'No residents', confirmOut: '{name} moves out today?', open: 'Residents',
  },
  accounts: {
    title: 'Accounts and grants', username: 'Username', name: 'Name', disabled: 'Disabled', enabled: 'Active', grants: 'Grants', role: 'Role', unit: 'Unit',
    grant: 'Grant', revoke: 'Revoke', disable: 'Disable', enable: 'Enable', resetPassword: 'Reset password', newPassword: 'New password (8+ characters)',
    grantOn: 'Grant a role on the current scope ({unit})', pickScope: 'Pick the scope of the grant at the top of the page first', create: 'Open an account for a person', person: 'Person',
    password: 'Initial password', confirmRevoke: 'Revoke this grant?', done: 'Done', status: 'State',
  },
  errands: {
    title: 'Errands', hint: 'What staff and volunteers did on residents\' behalf (who acted for whom is kept).', resident: 'Resident', action: 'Errand', at: 'When',
    actions: { resident: { register: 'registered the resident' } }, registerFor: 'Register a resident on their behalf', submit: 'Register',
    registerForHint: 'For a resident who cannot use a phone: a pending claim is made and the errand records that you acted.', registered: 'Registered; the claim waits for confirmation',
  },
}
