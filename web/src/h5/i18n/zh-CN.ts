export default {
  tabs: { home: '我的家', compound: '我的小区', me: '我的' },
  login: { title: '住户登录', phone: '手机号', password: '密码', submit: '登录', toRegister: '还没有账号？注册', phoneRequired: '请输入手机号', passwordRequired: '请输入密码' },
  register: {
    title: '住户注册', phone: '手机号', code: '验证码', sendCode: '获取验证码', resend: '{n} 秒后重发', codeSent: '验证码已发送',
    name: '姓名', password: '设置密码', passwordHint: '至少 8 位', relation: '与房屋的关系', submit: '注册并提交认证',
    unitMissing: '请扫描楼栋门口的二维码进入注册页面（链接中带有房屋编号）。', unit: '申请认证的房屋', done: '注册成功，等待社区确认',
    toLogin: '已有账号？登录',
  },
  home: {
    title: '我的家', pending: '认证申请待社区确认', confirmed: '已认证住户', rejected: '认证申请未通过', claim: '认证申请',
    status: '状态', unit: '房屋', none: '还没有认证的房屋', pullHint: '下拉刷新', submittedAt: '提交时间', register: '去注册',
  },
  compound: {
    party: '党组织', noMore: '没有更多了',
    title: '我的小区', fiveHaves: '“五有”情况', has: '有', lacks: '暂无', mediation: '人民调解委员会', grid: '网格员',
    members: '成员', none: '暂无', noCompound: '认证通过后可查看小区信息',
  },
  me: { title: '我的', logout: '退出登录', language: '语言 / Language', account: '账号' },
}
