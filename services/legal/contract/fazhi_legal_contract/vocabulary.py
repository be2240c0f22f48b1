"""legal's vocabularies: every code a client may send or see, with its Chinese and English
label, and the limits its inputs keep. The schemas validate against these codes; the
gateway serves them (``GET /api/v1/legal/vocabularies``) so pages show the labels
without keeping copies."""
from fazhi_shared.http import Term, Vocabulary

# Where a legal-literate person (法律明白人) comes from: the priority pools (DOMAIN-RULES §4).
POOLS = Vocabulary(
    Term("party_member", "党员", "Party member"),
    Term("cadre", "干部", "cadre"),
    Term("teacher", "教师", "teacher"),
    Term("veteran", "退役军人", "veteran"),
    Term("small_business", "个体工商户", "small business owner"),
    Term("grid_worker", "网格员", "grid worker"),
    Term("mediator", "调解员", "mediator"),
    Term("five_olds", "五老人员", "\"five olds\""),
    Term("other", "其他", "other"))

NOMINATIONS = Vocabulary(
    Term("self", "自荐", "self-nomination"),
    Term("nominated", "推荐", "nomination"))

LITERATE_STATUSES = Vocabulary(
    Term("nominated", "已提名", "nominated"),
    Term("assessing", "考核中", "being assessed"),
    Term("confirmed", "已确认", "confirmed"),
    Term("rejected", "未通过", "rejected"))

PROMOTION_TARGETS = Vocabulary(
    Term("grid_worker", "网格员", "grid worker"),
    Term("assessor", "人民陪审员", "people's assessor"),
    Term("mediator", "人民调解员", "people's mediator"))

PROMOTION_OUTCOMES = Vocabulary(
    Term("confirmed", "已生效", "confirmed"),
    Term("refused", "不予推选", "refused"))

# People's Assessors Law: what disqualifies (DOMAIN-RULES §3).
DISQUALIFICATIONS = Vocabulary(
    Term("criminal_punishment", "受过刑事处罚", "has received a criminal punishment"),
    Term("dismissed_from_public_office", "被开除公职", "was dismissed from public office"),
    Term("licence_revoked", "被吊销律师、公证员执业证书", "had a lawyer's or notary's licence revoked"),
    Term("dishonest_debtor", "被纳入失信被执行人名单", "is on the list of dishonest judgment debtors"),
    Term("removed_as_assessor", "因故被免除人民陪审员职务", "was earlier removed as an assessor"))

# Roles that bar a person from serving as an assessor (DOMAIN-RULES §3).
BARRED_ROLES = Vocabulary(
    Term("congress_standing_committee", "人大常委会组成人员", "member of a people's congress standing committee"),
    Term("supervision_staff", "监察委员会工作人员", "staff of a supervision commission"),
    Term("court_staff", "人民法院工作人员", "court staff"),
    Term("procuratorate_staff", "人民检察院工作人员", "procuratorate staff"),
    Term("police", "公安机关工作人员", "police"),
    Term("state_security", "国家安全机关工作人员", "state security staff"),
    Term("justice_bureau", "司法行政机关工作人员", "justice bureau staff"),
    Term("lawyer", "执业律师", "practising lawyer"),
    Term("notary", "公证员", "notary"),
    Term("arbitrator", "仲裁员", "arbitrator"),
    Term("grassroots_legal_worker", "基层法律服务工作者", "grassroots legal-service worker"))

# Every reason an assessor promotion is refused, and the one warning.
ELIGIBILITY_REASONS = Vocabulary(
    Term("not_confirmed", "尚未确认为法律明白人", "not a confirmed legal-literate person"),
    Term("under_age", "推选之日未满二十八周岁", "under 28 on the day of promotion"),
    Term("age_unknown", "无法确定年龄（缺少身份证号码）", "age unknown (no ID number)"),
    *DISQUALIFICATIONS,
    *(Term(f"barred_{t.code}", f"担任{t.zh}，不得担任人民陪审员", f"barred as {t.en}")
      for t in BARRED_ROLES),
    Term("rostered_lawyer", "在法律顾问值班表中担任律师，不得担任人民陪审员",
         "a duty-roster lawyer may not be an assessor"),
    Term("no_senior_high", "一般应具有高中以上文化程度（提示，不影响推选）",
         "senior-high education is normally required (a warning only)"))

HELPER_KINDS = Vocabulary(
    Term("lawyer", "律师", "lawyer"),
    Term("volunteer", "法律志愿者", "legal volunteer"))

ROSTER_STATUSES = Vocabulary(
    Term("draft", "草稿", "draft"),
    Term("published", "已发布", "published"))

SHIFT_PARTS = Vocabulary(
    Term("morning", "上午", "morning"),
    Term("afternoon", "下午", "afternoon"))

SWAP_STATUSES = Vocabulary(
    Term("requested", "待审批", "awaiting approval"),
    Term("approved", "已批准", "approved"),
    Term("rejected", "已驳回", "rejected"))

BOOKING_STATUSES = Vocabulary(
    Term("confirmed", "已预约", "booked"),
    Term("cancelled", "已取消", "cancelled"))

CONSULTATION_TOPICS = Vocabulary(
    Term("property_management", "物业管理", "property management"),
    Term("neighbours", "邻里关系", "neighbours"),
    Term("marriage_family", "婚姻家庭", "marriage and family"),
    Term("inheritance", "继承", "inheritance"),
    Term("housing", "房屋买卖与租赁", "housing sale and lease"),
    Term("labour", "劳动争议", "labour"),
    Term("contract", "合同纠纷", "contracts"),
    Term("personal_injury", "人身损害赔偿", "personal injury"),
    Term("consumer", "消费者权益", "consumer rights"),
    Term("owners_decisions", "业主共同决定", "owners' joint decisions"),
    Term("other", "其他", "other"))

CONSULTATION_CHANNELS = Vocabulary(
    Term("booked", "预约咨询", "booked"),
    Term("walk_in", "现场咨询", "walk-in"))

CONSULTATION_STATUSES = Vocabulary(
    Term("open", "进行中", "open"),
    Term("completed", "已办结", "completed"),
    Term("escalated", "已转为纠纷", "turned into a dispute"))

LIST_KINDS = Vocabulary(
    Term("legal_service_items", "公共法律服务事项清单", "public legal service items"),
    Term("property_services", "物业服务清单", "property services"),
    Term("law_policy_basis", "法律政策依据清单", "law and policy basis"))

FEED_KINDS = Vocabulary(
    Term("lawyer", "律师值班日历", "a lawyer's duty calendar"),
    Term("compound", "小区值班日历", "a compound's duty calendar"))

VOCABULARIES = {
    "pools": POOLS, "nominations": NOMINATIONS, "literate_statuses": LITERATE_STATUSES,
    "promotion_targets": PROMOTION_TARGETS, "promotion_outcomes": PROMOTION_OUTCOMES,
    "disqualifications": DISQUALIFICATIONS, "barred_roles": BARRED_ROLES,
    "eligibility_reasons": ELIGIBILITY_REASONS, "helper_kinds": HELPER_KINDS,
    "roster_statuses": ROSTER_STATUSES, "shift_parts": SHIFT_PARTS,
    "swap_statuses": SWAP_STATUSES, "booking_statuses": BOOKING_STATUSES,
    "consultation_topics": CONSULTATION_TOPICS,
    "consultation_channels": CONSULTATION_CHANNELS,
    "consultation_statuses": CONSULTATION_STATUSES, "list_kinds": LIST_KINDS,
    "feed_kinds": FEED_KINDS,
}

# -- limits ---------------------------------------------------------------------------------
MAX_NAME = 100                  # a firm's, a helper's, a training's name
MAX_TEXT = 4000                 # a summary, advice, a reason
MAX_DOCUMENT = 100_000          # an owners' convention's text
MAX_LIST_ITEMS = 200            # items of one published list
MAX_ROSTER_DAYS = 92            # a roster's period
MAX_SLOT_CAPACITY = 50          # bookings one shift takes
