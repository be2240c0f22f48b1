export default {
  app: { console: 'Fazhi staff console', h5: 'Fazhi', language: '中文' },
  common: {
    ok: 'OK', cancel: 'Cancel', save: 'Save', add: 'Add', rename: 'Rename', refresh: 'Refresh',
    loading: 'Loading…', empty: 'Nothing yet', actions: 'Actions', name: 'Name', search: 'Search',
    back: 'Back', required: 'Required', submit: 'Submit', download: 'Download', export: 'Export',
    retry: 'Retry', close: 'Close', more: 'More', yes: 'Yes', no: 'No', total: 'Total', date: 'Date',
    saved: 'Saved', draftRestored: 'Your unsent draft was restored', noAccess: 'You may not open this page.',
    networkError: 'The network failed; please try again (your draft is kept).',
  },
  login: {
    title: 'Sign in', username: 'Username', password: 'Password', submit: 'Sign in',
    usernameRequired: 'Enter your username', passwordRequired: 'Enter your password', welcome: 'Fazhi staff console',
    subtitle: 'For street and community staff',
  },
  shell: {
    home: 'Home', logout: 'Sign out', scope: 'Scope', pickScope: 'Pick a street / community / compound',
    menu: 'Menu', signedInAs: 'Signed in as', roles: 'Roles', chooseCompound: 'Pick a compound above.',
    welcome: 'Welcome to the Fazhi staff console', notFound: 'No such page',
  },
}
