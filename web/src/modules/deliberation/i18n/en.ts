export default {
  menu: { matters: "Owners' votes", appeals: 'Appeals board' },
  common: { pickCompound: 'Pick a compound at the top of the page', saved: 'Saved', yes: 'Yes', no: 'No', abstain: 'Abstain' },
  matters: {
    title: 'Matters put to the owners', create: 'New matter', matterTitle: 'Title', category: 'Category', item: 'Agenda item',
    status: 'Status', noticedOn: 'Noticed on', noticeEnds: 'Notice ends', votingEnds: 'Voting ends', totals: 'Owners/area',
    actions: 'Actions', notice: 'Give notice', open: 'Open voting', close: 'Close and count', detail: 'Details', submit: 'Submit',
    empty: 'No matters yet', owners: '{n} owners', noticed: 'Notice given; the roll is frozen', opened: 'Voting opened', closed: 'Counted',
  },
  matter: {
    turnout: 'Live turnout (heads and area only; no yes/no before closing)', participating: 'Owners taking part', participatingArea: 'Area taking part',
    paper: 'Enter a paper ballot', code: 'Ballot code', enter: 'Enter', entered: 'Entered, receipt {code}', result: 'Result',
    rule: 'Rule', yes: 'Yes (owners/area)', passed: 'Passed', failed: 'Not passed', quorum: 'Two thirds took part', challenge: 'May be challenged in court until {date} (art. 280)',
    posted: 'Posted until {date}', notice: 'Notice PDF', ballots: 'Paper ballots PDF', resultPdf: 'Result PDF',
  },
  appeals: {
    title: 'Appeals board', summary: 'Appeal', category: 'Category', status: 'Status', due: 'Reply due', responsible: 'Responsible',
    assign: 'Assign', answer: 'Answer', reply: 'Reply', days: 'working days', overdue: 'Overdue', anonymous: 'Anonymous', actions: 'Actions',
    empty: 'No appeals',
  },
  h5: {
    votes: 'My votes', votesTitle: "Owners' votes", noHome: 'No home registered', voting: 'Voting', closed: 'Closed',
    cast: 'Submit', castOk: 'Submitted, receipt {code}', myBallot: 'My vote: {choice}', receipt: 'Receipt', result: 'Result',
    appeal: 'Raise an appeal', appealTitle: 'Raise an appeal', summary: 'Your appeal', anonymous: 'Anonymously', submit: 'Submit', submitted: 'Submitted',
    mine: 'My appeals', mirror: 'Opinion mirror', mirrorTitle: 'Public-opinion mirror', topics: 'Topics', responses: 'Replies',
    appeals: '{n} appeals, {m} answered', notVoter: 'You are not on this vote\'s roll',
  },
}
