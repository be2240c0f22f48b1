export default {
  tabs: { home: 'My home', compound: 'My compound', me: 'Me' },
  login: { title: 'Resident sign-in', phone: 'Phone', password: 'Password', submit: 'Sign in', toRegister: 'No account yet? Register', phoneRequired: 'Enter your phone', passwordRequired: 'Enter your password' },
  register: {
    title: 'Register', phone: 'Phone', code: 'Code', sendCode: 'Send code', resend: 'Again in {n} s', codeSent: 'Code sent',
    name: 'Name', password: 'Password', passwordHint: 'at least 8 characters', relation: 'You are', submit: 'Register and claim',
    unitMissing: 'Scan the QR code at your building\'s door to open this page (its link names your unit).', unit: 'Unit claimed', done: 'Registered; the community will confirm',
    toLogin: 'Have an account? Sign in',
  },
  home: {
    title: 'My home', pending: 'Your claim waits for the community', confirmed: 'Confirmed resident', rejected: 'Your claim was rejected', claim: 'Claim',
    status: 'Status', unit: 'Unit', none: 'No confirmed home yet', pullHint: 'Pull to refresh', submittedAt: 'Submitted', register: 'Register',
  },
  compound: {
    party: 'Party organisations', noMore: 'No more',
    title: 'My compound', fiveHaves: 'Five haves', has: 'yes', lacks: 'not yet', mediation: 'Mediation committee', grid: 'Grid workers',
    members: 'Members', none: 'None', noCompound: 'Shown once your claim is confirmed',
  },
  me: { title: 'Me', logout: 'Sign out', language: 'Language / 语言', account: 'Account' },
}
