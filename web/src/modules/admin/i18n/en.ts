export default {
  menu: { audit: 'Operation log', unmasked: 'Unmasked reads', logins: 'Login log', sessions: 'Sessions online' },
  audit: {
    title: 'Operation log', unmaskedTitle: 'Unmasked personal-data reads', at: 'When', actor: 'Who', action: 'Action', entity: 'What', place: 'Where',
    onBehalf: 'On behalf of', detail: 'Detail', since: 'From', until: 'To', filter: 'Filter', reason: 'Reason', kinds: { system: 'system', service: 'service', anonymous: 'anonymous' },
  },
  logins: { title: 'Login log', at: 'When', username: 'Username', account: 'Name', outcome: 'Outcome', address: 'Address', agent: 'Browser', all: 'All',
    outcomes: { success: 'success', failure: 'failure', throttled: 'throttled' } },
  sessions: { title: 'Sessions online', account: 'User', since: 'Signed in', refreshed: 'Last active', address: 'Address', agent: 'Browser', expires: 'Expires',
    kick: 'Force out', confirm: 'Force {name} out?', kicked: 'Forced out' },
}
