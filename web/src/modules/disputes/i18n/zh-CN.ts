export default {
  menu: { cases: '矛盾纠纷', stats: '纠纷统计', campaigns: '专项行动' },
  cases: {
    title: '矛盾纠纷台账', q: '关键词', search: '检索', state: '状态', category: '类型', level: '调处层级',
    overdue: '仅看逾期', all: '全部', number: '编号', summary: '简要情况', registered: '登记时间', due: '办理期限',
    isOverdue: '逾期', open: '查看', pickScope: '请在页面顶部选择范围', ledger: '导出台账',
  },
  case: {
    title: '纠纷案件', parties: '当事人', description: '纠纷情况', source: '来源', urgency: '紧急程度',
    action: '办理操作', reason: '理由/内容', pickAction: '选择操作', submit: '提交', done: '已办理：{action}',
    log: '办理日志（哈希链）', records: '卷宗材料', attachments: '证据材料', check: '校验日志链',
    chainOk: '日志链完整：共 {n} 条', chainBad: '日志链异常：第 {seq} 条（{reason}）',
    seq: '序号', at: '时间', actionCol: '操作', actor: '操作人', hash: '哈希', confirmation: '司法确认申请期限',
    notOffered: '不适用司法确认', document: '打印文书', agreementPdf: '调解协议书', confirmationPdf: '司法确认申请书',
    caseFilePdf: '卷宗', recordKind: '材料类型', addRecord: '补充材料', recordText: '材料内容', concluded: '办结层级',
    toBody: '移交机关', mediator: '调解员（人员编号）', routes: '已告知的其他途径',
  },
  stats: {
    title: '纠纷统计', from: '起始月份', to: '截止月份', load: '统计', registered: '受理', concluded: '办结',
    settled: '调解成功', rate: '调解成功率', inCompound: '小事不出小区', atOrBelowStreet: '大事不出街道',
    aboveStreet: '矛盾不上交（上交街道以上）', avgDays: '平均办结天数', overdue: '逾期未结', byUnit: '分单位',
    byMonth: '分月份', zero: '“零发案”小区', unit: '单位', month: '月份', chart: '三项比例（%）', monthly: '导出月报',
  },
  campaigns: {
    title: '专项行动', name: '名称', period: '期间', state: '状态', progress: '整改进度', unit: '单位',
    total: '事项数', closed: '已销号', close: '结束专项行动', closedOk: '专项行动已结束',
  },
  h5: {
    report: '反映问题', mine: '我的纠纷', reportTitle: '反映矛盾纠纷', description: '问题描述',
    descriptionHint: '请说明发生了什么、涉及哪些人、希望怎样解决', category: '问题类型', photo: '现场照片（可选）',
    submit: '提交', submitted: '已提交，编号 {number}', required: '请填写问题描述', empty: '暂无纠纷记录',
    state: '办理进度', registered: '登记时间', detail: '纠纷详情', photoAdded: '已选择照片',
  },
}
