export default {
  menu: { coverage: 'Five-haves coverage', claims: 'Resident claims' },
  compound: {
    title: 'Compound', tabs: { units: 'Buildings and units', owners: 'Owners', electorate: 'Electorate', fiveHaves: 'Five haves', workbook: 'Import / export' },
  },
  units: {
    buildings: 'Buildings', units: 'Units', addBuilding: 'Add building', addUnits: 'Add units', buildingName: 'Building name',
    unitNames: 'Unit names (several at once, separated by spaces or commas)', pickBuilding: 'Pick a building on the left', newName: 'New name',
    area: 'Registered area (m²)', setArea: 'Set area', areaSaved: 'Area saved', added: '{n} added', renamed: 'Renamed',
    unitName: 'Unit',
  },
  owners: { title: 'Owners (ID numbers and phones hidden)', name: 'Owner', kind: 'Kind', units: 'Units', voter: 'Votes for' },
  electorate: {
    asOf: 'As of', totalOwners: 'Owners', totalArea: 'Total exclusive area (m²)', withoutOwner: 'Units without an owner',
    withoutArea: 'Units without an area', owner: 'Owner', area: 'Area (m²)', units: 'Units',
  },
  fiveHaves: { asOf: 'Date', has: 'Has', lacks: 'Lacks', complete: 'All five haves', incomplete: '{n} missing', grid: 'Grid worker on duty' },
  workbook: {
    template: 'Download the template', choose: 'Choose an .xlsx file', start: 'Import', export: 'Export the registry',
    progress: 'Progress', done: 'Done: {imported} rows changed, {unchanged} unchanged, {errors} with errors',
    failed: 'The import failed', running: 'Importing…', errors: 'Rows with errors', row: 'Row', reason: 'Reason',
    downloadErrors: 'Download the errors', noFile: 'Choose a file first', wholeFile: 'whole file', history: 'Imports of this session',
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
}
