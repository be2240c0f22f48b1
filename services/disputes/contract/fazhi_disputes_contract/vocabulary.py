"""disputes's vocabularies: every code a client may send or see, with its Chinese and
English label, and the limits its inputs keep. The schemas validate against these codes;
the gateway serves them (``GET /api/v1/disputes/vocabularies``) so pages show the labels
without keeping copies. Categories and levels: DOMAIN-RULES §5; mediation: §2."""
from fazhi_shared.http import Term, Vocabulary

# The national people's-mediation statistics categories (DOMAIN-RULES §5).
CATEGORIES = Vocabulary(
    Term("marriage_family", "婚姻家庭", "marriage and family"),
    Term("neighbours", "邻里", "neighbours"),
    Term("housing", "房屋宅基地", "housing and homestead"),
    Term("contract", "合同", "contract"),
    Term("business", "生产经营", "business"),
    Term("damages", "损害赔偿", "damages"),
    Term("land_forest", "山林土地", "land and forest"),
    Term("land_taking", "征地拆迁", "land taking and demolition"),
    Term("pollution", "环境污染", "pollution"),
    Term("labour", "劳动争议", "labour"),
    Term("consumer", "消费", "consumer"),
    Term("medical", "医疗", "medical"),
    Term("traffic", "道路交通事故", "road traffic accident"),
    Term("property", "物业", "property management"),
    Term("community_affairs", "村(居)务", "community affairs"),
    Term("other", "其他", "other"))

# The compound-level sub-types of the seed (DOMAIN-RULES §5); also a campaign's issue types.
SUBTYPES = Vocabulary(
    Term("unpaid_fees", "拖欠物业费", "unpaid property fees"),
    Term("parking", "停车", "parking"),
    Term("maintenance_fund", "维修资金", "maintenance fund"),
    Term("illegal_building", "违章搭建", "illegal building"),
    Term("clutter", "乱堆乱放", "clutter"),
    Term("green_space", "侵占绿地", "occupied green space"),
    Term("noise", "噪声扰民", "noise"),
    Term("leak", "漏水", "leaks"),
    Term("pets", "宠物", "pets"))

SOURCES = Vocabulary(
    Term("party_application", "当事人申请", "a party's application"),
    Term("own_initiative", "主动调解", "own initiative"),
    Term("court_referral", "法院委托移送", "referral by a court"),
    Term("police_referral", "公安移送", "referral by the police"),
    Term("grid_patrol", "网格巡查发现", "grid patrol"),
    Term("consultation", "法律咨询转办", "a legal consultation"),
    Term("appeal", "诉求转办", "an appeal"))

STATES = Vocabulary(
    Term("registered", "已登记", "registered"),
    Term("accepted", "已受理", "accepted"),
    Term("mediating", "调解中", "mediating"),
    Term("settled", "调解成功", "settled"),
    Term("failed", "调解不成", "failed"),
    Term("passed_out", "已移交", "passed out"),
    Term("followed_up", "已回访", "followed up"),
    Term("refused", "不予受理/拒绝调解", "refused"),
    Term("closed", "已结案", "closed"))

# What the workflow can do to a case (disputes.domain.workflow).
ACTIONS = Vocabulary(
    Term("accept", "受理", "accept"),
    Term("refuse", "不予受理", "refuse"),
    Term("party_refuses", "当事人拒绝调解", "a party refuses mediation"),
    Term("start_mediation", "开始调解", "start mediation"),
    Term("escalate", "上交上级调解", "escalate"),
    Term("pass_out", "移交其他机关", "pass out"),
    Term("settle", "达成调解协议", "settle"),
    Term("fail", "调解终止", "end mediation unsettled"),
    Term("follow_up", "回访", "follow-up visit"),
    Term("close", "结案", "close"),
    Term("reopen", "重新调解", "reopen"),
    Term("assign", "指派调解员", "assign a mediator"),
    Term("record", "补充卷宗材料", "add a record"))

# Where a case is being handled: the levels of DOMAIN-RULES §5 (the city centre is the
# city node of org's tree: Taixing is a county-level city).
LEVELS = Vocabulary(
    Term("compound", "小区", "compound"),
    Term("community", "社区", "community"),
    Term("street", "街道", "street"),
    Term("city", "市矛盾纠纷调处中心", "the city's mediation centre"))

PASS_OUT_BODIES = Vocabulary(
    Term("court", "人民法院", "a court"),
    Term("arbitration", "仲裁机构", "arbitration"),
    Term("administrative", "行政机关", "an administrative body"))

# Already before one of these: refused at acceptance (DOMAIN-RULES §2).
PRIOR_AUTHORITIES = Vocabulary(
    Term("court", "人民法院已受理", "accepted by a court"),
    Term("police", "公安机关已受理", "accepted by the police"),
    Term("other_authority", "其他机关已受理", "accepted by another authority"))

PARTY_ROLES = Vocabulary(
    Term("applicant", "申请人", "applicant"),
    Term("respondent", "被申请人", "respondent"),
    Term("third_party", "第三人", "third party"))

URGENCIES = Vocabulary(
    Term("normal", "一般", "normal"),
    Term("urgent", "紧急", "urgent"),
    Term("critical", "特急", "critical"))

RISK_FLAGS = Vocabulary(
    Term("criminal", "可能引发刑事案件", "possible criminal case"),
    Term("group_petition", "可能引发群体性上访", "possible group petition"))

# The records a case file holds (卷宗), DOMAIN-RULES §2.
RECORD_KINDS = Vocabulary(
    Term("registration", "申请/受理登记", "registration record"),
    Term("refusal", "不予受理/拒绝调解记录", "refusal and its reason"),
    Term("investigation", "调查记录", "investigation record"),
    Term("session", "调解记录", "session record"),
    Term("agreement", "调解协议", "settlement agreement"),
    Term("routes_advised", "告知其他救济途径记录", "routes advised"),
    Term("pass_out", "移交记录", "pass-out record"),
    Term("follow_up", "回访记录", "follow-up visit record"),
    Term("closing_report", "结案报告", "closing report"),
    Term("note", "其他材料", "other"))

AGREEMENT_FORMS = Vocabulary(
    Term("written", "书面协议", "written"),
    Term("oral", "口头协议", "oral"))

ITEM_STATES = Vocabulary(
    Term("assigned", "已交办", "assigned"),
    Term("rectifying", "整改中", "rectifying"),
    Term("submitted", "已提交销号", "submitted"),
    Term("verified", "已核验", "verified"),
    Term("closed", "已销号", "closed"),
    Term("sent_back", "已退回", "sent back"))

ITEM_ACTIONS = Vocabulary(
    Term("start", "开始整改", "start"),
    Term("submit", "提交销号", "submit"),
    Term("verify", "核验通过", "verify"),
    Term("send_back", "退回重改", "send back"),
    Term("close", "销号", "close"))

CAMPAIGN_STATES = Vocabulary(
    Term("open", "进行中", "open"),
    Term("closed", "已结束", "closed"))

ATTACHMENT_TYPES = Vocabulary(
    Term("image/jpeg", "JPEG 照片", "JPEG photo"),
    Term("image/png", "PNG 图片", "PNG image"),
    Term("application/pdf", "PDF 文档", "PDF document"))

VOCABULARIES = {
    "categories": CATEGORIES, "subtypes": SUBTYPES, "sources": SOURCES, "states": STATES,
    "actions": ACTIONS, "levels": LEVELS, "pass_out_bodies": PASS_OUT_BODIES,
    "prior_authorities": PRIOR_AUTHORITIES, "party_roles": PARTY_ROLES,
    "urgencies": URGENCIES, "risk_flags": RISK_FLAGS, "record_kinds": RECORD_KINDS,
    "agreement_forms": AGREEMENT_FORMS, "item_states": ITEM_STATES,
    "item_actions": ITEM_ACTIONS, "campaign_states": CAMPAIGN_STATES,
    "attachment_types": ATTACHMENT_TYPES,
}

# -- limits ---------------------------------------------------------------------------------
MAX_TEXT = 4000                  # characters of a description, reason or record
MAX_TITLE = 100                  # characters of a title or a short name
MAX_PARTIES = 20                 # parties on one case
MAX_TERMS = 20                   # agreed terms of one agreement
MAX_SEARCH = 100                 # characters of a search query
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_CAMPAIGN_UNITS = 500
DEFAULT_TIME_LIMIT_DAYS = 30     # per level (setting DISPUTES_TIME_LIMIT_DAYS)
CONFIRMATION_DAYS = 30           # judicial confirmation window (Mediation Law art. 33)
