export default {
  menu: { audit: '操作日志', unmasked: '敏感数据查看记录', logins: '登录日志', sessions: '在线用户' },
  audit: {
    title: '操作日志', unmaskedTitle: '敏感数据查看记录', at: '时间', actor: '操作人', action: '操作', entity: '对象', place: '位置',
    onBehalf: '代办对象', detail: '详情', since: '起', until: '止', filter: '筛选', reason: '原因', kinds: { system: '系统', service: '服务', anonymous: '匿名' },
  },
  logins: { title: '登录日志', at: '时间', username: '账号', account: '姓名', outcome: '结果', address: '地址', agent: '浏览器', all: '全部',
    outcomes: { success: '成功', failure: '失败', throttled: '已限制' } },
  sessions: { title: '在线用户', account: '用户', since: '登录时间', refreshed: '最近活动', address: '地址', agent: '浏览器', expires: '过期时间',
    kick: '强退', confirm: '强制 {name} 下线？', kicked: '已强制下线' },
}
