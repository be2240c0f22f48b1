export default {
  menu: { coverage: '“五有”覆盖情况', claims: '住户认证审核', people: '人员查询', errands: '代办记录', accounts: '账号与授权' },
  compound: {
    title: '小区', tabs: { units: '楼栋与房屋', owners: '业主', electorate: '业主表决权', fiveHaves: '“五有”清单', organisation: '组织架构', workbook: '批量导入导出' },
  },
  units: {
    retire: '停用', retireReason: '停用原因（至少 2 个字）', retired: '已停用', search: '按房号查找',
    move: '移到其他楼栋', moveTo: '目标楼栋', moved: '已移动',
    buildings: '楼栋', units: '房屋', addBuilding: '新增楼栋', addUnits: '新增房屋', buildingName: '楼栋名称',
    unitNames: '房号（可一次填写多个，用空格或逗号分隔）', pickBuilding: '请选择左侧的楼栋', newName: '新名称',
    area: '登记面积（㎡）', setArea: '设置面积', areaSaved: '面积已保存', added: '已新增 {n} 个', renamed: '已重命名',
    unitName: '房号',
  },
  owners: { add: '登记房屋业主（过户）', record: '登记', creditCode: '统一社会信用代码', title: '业主名册（证件号码与电话已隐去）', name: '业主名称', kind: '业主类型', units: '房屋', voter: '投票人' },
  electorate: {
    asOf: '统计日期', totalOwners: '业主人数', totalArea: '专有部分总面积（㎡）', withoutOwner: '无业主登记的房屋',
    withoutArea: '无面积登记的房屋', owner: '业主', area: '面积（㎡）', units: '房屋数',
  },
  fiveHaves: { asOf: '日期', has: '已具备', lacks: '缺少', complete: '“五有”齐全', incomplete: '尚缺 {n} 项', grid: '网格员在岗' },
  workbook: {
    counts: '结果', countsText: '导入 {imported}，未变化 {unchanged}，错误 {errors}', by: '导入人', at: '时间',
    template: '下载导入模板', choose: '选择 .xlsx 文件', start: '开始导入', export: '导出本小区台账',
    progress: '导入进度', done: '导入完成：新增或更新 {imported} 行，未变化 {unchanged} 行，错误 {errors} 行',
    failed: '导入失败', running: '正在导入…', errors: '出错的行', row: '行号', reason: '原因',
    downloadErrors: '下载错误清单', noFile: '请先选择文件', wholeFile: '整个文件', history: '历次导入记录',
    file: '文件', status: '状态', statuses: { running: '进行中', done: '已完成', failed: '失败' },
  },
  coverage: {
    title: '“五有”覆盖情况', unit: '统计范围', pickUnit: '请在页面顶部选择街道或社区', asOf: '统计日期',
    compounds: '小区数', complete: '“五有”齐全', compound: '小区', export: '导出表格', chart: '各项具备情况',
    has: '具备', lacks: '缺少', grid: '网格员在岗', load: '统计',
  },
  claims: {
    title: '住户认证审核', status: '状态', unit: '房屋', relation: '关系', createdAt: '申请时间', confirm: '确认',
    reject: '驳回', confirmed: '已确认', rejected: '已驳回', note: '备注', confirmAsk: '确认此住户认证申请？',
  },
  organisation: {
    term: '任期 / 合同期', members: '成员', member: '成员', contact: '联系人', address: '地址', state: '状态', none: '暂无',
    party: '党组织', memberCount: '{n} 名党员', grid: '微网格', onDuty: '今日在岗网格员', setUpMediation: '设立人民调解委员会',
    termStart: '任期开始', position: '职务', remove: '移除', addMember: '添加成员', submit: '提交设立',
    rules: { title: '尚不符合组成要求（《人民调解法》第八、九条）：', size: '成员须为 3 至 9 人（现有 {n} 人）',
      chair: '须有且仅有一名主任', female: '须至少有一名女性成员' },
  },
  people: {
    title: '人员查询', q: '姓名', unit: '范围', searchName: '按姓名搜索', phone: '电话', idNumber: '身份证号码', gender: '性别',
    reveal: '查看完整信息', reason: '查看原因（将记入审计日志）', reasonRequired: '请填写查看原因', revealed: '完整信息（已记入审计日志）',
    pickScope: '请先在页面顶部选择范围',
  },
  residents: {
    title: '住户', moveIn: '登记入住', moveOut: '迁出', name: '姓名', relation: '关系', since: '入住日期', phone: '电话（选填）',
    idNumber: '身份证号码（选填）', movedOut: '已迁出', none: '暂无住户', confirmOut: '确认 {name} 今日迁出？', open: '住户',
  },
  accounts: {
    title: '账号与授权', username: '账号', name: '姓名', disabled: '已停用', enabled: '正常', grants: '授权', role: '角色', unit: '单位',
    grant: '授权', revoke: '撤销', disable: '停用', enable: '启用', resetPassword: '重置密码', newPassword: '新密码（至少 8 位）',
    grantOn: '在当前范围（{unit}）授予角色', pickScope: '请先在页面顶部选择授权范围', create: '为人员开通账号', person: '人员',
    password: '初始密码', confirmRevoke: '撤销该授权？', done: '已完成', status: '状态',
  },
  errands: {
    title: '代办记录', hint: '工作人员、志愿者代住户办理的事项（谁为谁办理，均有记录）。', resident: '住户', action: '事项', at: '时间',
    actions: { resident: { register: '代为注册住户' } }, registerFor: '代办住户注册', submit: '提交代办',
    registerForHint: '为不便使用手机的住户登记；提交后生成待确认的认证申请，并记录由您代办。', registered: '已代办注册，等待确认',
  },
}
