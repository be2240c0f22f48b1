export default {
  app: { console: '法治小区工作台', h5: '法治小区', language: 'English' },
  common: {
    ok: '确定', cancel: '取消', save: '保存', add: '新增', rename: '重命名', refresh: '刷新',
    loading: '加载中…', empty: '暂无数据', actions: '操作', name: '名称', search: '搜索',
    back: '返回', required: '必填', submit: '提交', download: '下载', export: '导出',
    retry: '重试', close: '关闭', more: '加载更多', yes: '是', no: '否', total: '合计', date: '日期',
    saved: '已保存', draftRestored: '已恢复未提交的草稿', noAccess: '您无权访问此页面。',
    networkError: '网络连接失败，请检查网络后重试（已保存的草稿不会丢失）。',
  },
  login: {
    title: '登录', username: '账号', password: '密码', submit: '登录',
    usernameRequired: '请输入账号', passwordRequired: '请输入密码', welcome: '法治小区工作台',
    subtitle: '街道、社区工作人员登录',
  },
  shell: {
    home: '首页', logout: '退出登录', scope: '范围', pickScope: '选择街道 / 社区 / 小区',
    menu: '菜单', signedInAs: '当前用户', roles: '角色', chooseCompound: '请在上方选择一个小区。',
    welcome: '欢迎使用法治小区工作台', notFound: '页面不存在',
  },
}
