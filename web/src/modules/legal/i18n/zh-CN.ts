export default {
  menu: { coverage: '法律明白人覆盖', literates: '法律明白人', rosters: '法律顾问值班' },
  coverage: {
    title: '法律明白人覆盖情况', pickScope: '请在页面顶部选择社区、街道或小区', compound: '小区', buildings: '楼栋数',
    covered: '已覆盖', uncovered: '尚无法律明白人的楼栋', none: '全部覆盖', community: '社区', confirmed: '已确认人数',
    target: '目标', meets: '达标', notMet: '未达标', summary: '共有 {n} 个楼栋尚无已确认的法律明白人（每个社区目标至少 {target} 名）',
  },
  literates: {
    title: '法律明白人', name: '姓名', compound: '小区', buildings: '服务楼栋', pool: '来源', status: '状态',
    actions: '操作', assess: '开始考核', confirm: '确认', reject: '不予确认', reason: '理由', card: '名片',
    promote: '推选', intake: '登记推荐', person: '人员', search: '搜索姓名', nomination: '方式',
    duties: '职责', contact: '联系方式（勿填完整手机号）', submit: '提交', target: '推选为', on: '推选日期',
    disqualifications: '不得担任陪审员的情形', heldRoles: '现任职务', seniorHigh: '具有高中以上文化程度',
    refused: '不予推选：', confirmedOk: '推选已生效', warnings: '提示：', pickCompound: '请在页面顶部选择小区',
    rejectReason: '请填写不予确认的理由', done: '已保存',
  },
  rosters: {
    subscribe: '日历订阅', feedHint: '在手机或电脑日历中订阅以下地址（请勿外传，可随时撤销）：',
    title: '法律顾问值班表', roster: '值班表', pick: '选择值班表', publish: '发布', published: '已发布', draft: '草稿',
    export: '导出 Excel', day: '日期', morning: '上午', afternoon: '下午', shares: '各律师值班次数',
    generate: '生成值班表', agreement: '顾问协议', from: '开始日期', to: '结束日期', capacity: '每班可预约人数',
    weekdays: ['一', '二', '三', '四', '五', '六', '日'], generated: '已生成草稿', publishedOk: '已发布',
    pickCompound: '请在页面顶部选择小区', booked: '已约 {n}/{c}',
  },
  h5: {
    duty: '法律顾问', dutyTitle: '法律顾问值班', now: '正在值班', next: '接下来', nobody: '当前无人值班',
    slots: '可预约时段', book: '预约', booked: '已预约', full: '已约满', mine: '我的预约', cancel: '取消预约',
    bookedOk: '预约成功', cancelledOk: '已取消', free: '余 {n} 个名额', noHome: '请先登记您的房屋',
    profile: '法律明白人', buildings: '服务楼栋', duties: '职责', contact: '联系方式', pool: '来源',
    topic: '咨询事项', defaultDuties: '收集社情民意、宣传法律政策、协助化解纠纷、引导依法办事',
  },
}
