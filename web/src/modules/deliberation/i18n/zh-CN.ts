export default {
  menu: { matters: '业主表决', appeals: '诉求看板' },
  common: { pickCompound: '请在页面顶部选择小区', saved: '已保存', yes: '同意', no: '反对', abstain: '弃权' },
  matters: {
    title: '业主表决事项', create: '新建表决事项', matterTitle: '事项名称', category: '事项类别', item: '表决事项',
    status: '状态', noticedOn: '公告日期', noticeEnds: '公告期满', votingEnds: '投票截止', totals: '业主/面积',
    actions: '操作', notice: '发布公告', open: '开始投票', close: '结束计票', detail: '详情', submit: '提交',
    empty: '暂无表决事项', owners: '{n} 人', noticed: '已发布公告并冻结表决名单', opened: '已开始投票', closed: '已计票',
  },
  matter: {
    turnout: '实时参与情况（仅人数与面积，结束前不显示同意/反对）', participating: '参与人数', participatingArea: '参与面积',
    paper: '录入纸质表决票', code: '表决票编码', enter: '录入', entered: '已录入，回执码 {code}', result: '表决结果',
    rule: '规则', yes: '同意人数/面积', passed: '通过', failed: '未通过', quorum: '参与达三分之二', challenge: '可于 {date} 前向法院请求撤销（民法典第二百八十条）',
    posted: '公告至 {date}', notice: '会议通知 PDF', ballots: '纸质表决票 PDF', resultPdf: '结果公告 PDF',
  },
  appeals: {
    title: '诉求看板', summary: '诉求', category: '类别', status: '状态', due: '答复期限', responsible: '责任单位',
    assign: '分派', answer: '答复', reply: '答复内容', days: '工作日', overdue: '已逾期', anonymous: '匿名', actions: '操作',
    empty: '暂无诉求',
  },
  h5: {
    votes: '我的表决', votesTitle: '业主表决', noHome: '您尚未登记房屋', voting: '投票中', closed: '已结束',
    cast: '提交表决', castOk: '表决已提交，回执码 {code}', myBallot: '我的表决：{choice}', receipt: '回执码', result: '结果',
    appeal: '反映诉求', appealTitle: '反映诉求', summary: '诉求内容', anonymous: '匿名反映', submit: '提交', submitted: '已提交',
    mine: '我的诉求', mirror: '民情反光镜', mirrorTitle: '民情反光镜', topics: '诉求类别', responses: '办理回复',
    appeals: '{n} 件，已答复 {m} 件', notVoter: '您不在本事项的表决名单中',
  },
}
