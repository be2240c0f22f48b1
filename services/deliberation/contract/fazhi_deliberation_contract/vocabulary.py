"""deliberation's vocabularies: every code a client may send or see, with its Chinese and
English label, and the limits its inputs keep. The schemas validate against these codes;
the gateway serves them (``GET /api/v1/deliberation/vocabularies``) so pages show the
labels without keeping copies."""
from fazhi_shared.http import Term, Vocabulary

# The nine matters of Civil Code art. 278 (numbered as the article), a compound affair
# outside art. 278, and art. 279 (a home turned into business premises).
MATTER_CATEGORIES = Vocabulary(
    Term("rules_of_procedure", "制定和修改业主大会议事规则", "rules of procedure"),
    Term("owners_convention", "制定和修改管理规约", "owners' convention"),
    Term("owners_committee", "选举业主委员会或者更换业主委员会成员", "electing the owners' committee"),
    Term("property_manager", "选聘和解聘物业服务企业或者其他管理人", "hiring or dismissing the manager"),
    Term("fund_use", "使用建筑物及其附属设施的维修资金", "using the maintenance fund"),
    Term("fund_raise", "筹集建筑物及其附属设施的维修资金", "raising the maintenance fund"),
    Term("rebuilding", "改建、重建建筑物及其附属设施", "rebuilding or reconstruction"),
    Term("common_use_change", "改变共有部分的用途或者利用共有部分从事经营活动",
         "changing the use of common parts"),
    Term("other_major", "有关共有和共同管理权利的其他重大事项", "other major matters"),
    Term("compound_affair", "小区其他事务（民法典第二百七十八条以外）", "other compound affair"),
    Term("business_use", "将住宅改变为经营性用房（民法典第二百七十九条）",
         "turning a home into business premises (art. 279)"))

# Which decision rule a category takes (DOMAIN-RULES §1).
RULES = Vocabulary(
    Term("majority", "双过半（参与表决者）", "double majority of participants"),
    Term("three_quarters", "双四分之三（参与表决者）", "double three quarters of participants"),
    Term("unanimous_building", "本栋其他业主一致同意", "every other owner of the building consents"))

MATTER_STATUSES = Vocabulary(
    Term("draft", "草拟", "draft"), Term("noticed", "已公告", "noticed"),
    Term("voting", "投票中", "voting"), Term("closed", "已结束", "closed"),
    Term("cancelled", "已取消", "cancelled"))

# What part of the compound votes: all of it, or the owners sharing a part (a building's
# lift: only that building's owners, with their own totals).
ELECTORATE_SCOPES = Vocabulary(
    Term("compound", "全体业主", "all owners of the compound"),
    Term("buildings", "共有该部分的业主", "owners sharing the part (named buildings)"))

CHOICES = Vocabulary(Term("yes", "同意", "yes"), Term("no", "反对", "no"),
                     Term("abstain", "弃权", "abstain"))

CHANNELS = Vocabulary(
    Term("online", "线上投票", "online"), Term("paper", "纸质表决票", "paper ballot"),
    Term("door_to_door", "上门征询记录", "door-to-door record"),
    Term("proxy", "委托代理投票", "by proxy"))

OBJECTION_STATUSES = Vocabulary(
    Term("open", "待处理", "open"), Term("accepted", "已采纳", "accepted"),
    Term("rejected", "未采纳", "rejected"))

APPEAL_CATEGORIES = Vocabulary(
    Term("property_service", "物业服务", "property service"),
    Term("environment", "环境卫生", "environment"), Term("parking", "停车管理", "parking"),
    Term("safety", "安全隐患", "safety"), Term("facilities", "设施维修", "facilities"),
    Term("fees", "收费问题", "fees"), Term("neighbours", "邻里关系", "neighbours"),
    Term("other", "其他", "other"))

APPEAL_STATUSES = Vocabulary(
    Term("submitted", "待分派", "submitted"), Term("assigned", "办理中", "assigned"),
    Term("answered", "已答复", "answered"), Term("reopened", "重新办理", "reopened"),
    Term("referred", "转纠纷调处", "referred as a dispute"),
    Term("closed", "已办结", "closed"))

RESPONSIBLE_BODIES = Vocabulary(
    Term("property_company", "物业服务企业", "property company"),
    Term("owners_committee", "业主委员会", "owners' committee"),
    Term("community", "社区居委会", "community committee"),
    Term("street", "街道办事处", "street office"),
    Term("utility", "公用事业单位", "utility company"), Term("other", "其他单位", "other body"))

SATISFACTION = Vocabulary(
    Term("satisfied", "满意", "satisfied"),
    Term("basically_satisfied", "基本满意", "basically satisfied"),
    Term("unsatisfied", "不满意", "unsatisfied"))

SCORE_REASONS = Vocabulary(
    Term("vote", "参与表决", "took part in a vote"), Term("appeal", "反映诉求", "raised an appeal"),
    Term("meeting", "参加议事会", "attended a deliberation meeting"),
    Term("activity", "参加活动", "attended an activity"),
    Term("volunteering", "志愿服务", "volunteering"))

VOCABULARIES = {"matter_categories": MATTER_CATEGORIES, "rules": RULES,
                "matter_statuses": MATTER_STATUSES, "electorate_scopes": ELECTORATE_SCOPES,
                "choices": CHOICES, "channels": CHANNELS,
                "objection_statuses": OBJECTION_STATUSES,
                "appeal_categories": APPEAL_CATEGORIES, "appeal_statuses": APPEAL_STATUSES,
                "responsible_bodies": RESPONSIBLE_BODIES, "satisfaction": SATISFACTION,
                "score_reasons": SCORE_REASONS}

# -- limits ---------------------------------------------------------------------------------
MAX_TITLE = 200                  # characters of a matter's or an item's title
MAX_TEXT = 5000                  # characters of a description, reply, minutes
MAX_SUMMARY = 500                # characters of an appeal's summary
MAX_ITEMS = 30                   # agenda items of one matter
MAX_PARTICIPANTS = 200           # participants of one deliberation meeting
MAX_NOTICE_DAYS = 90             # a notice period longer than this is a typo
