"""org's vocabularies: every code a client may send or see, with its Chinese and English
label, and the limits its inputs keep. The schemas validate against these codes; the
gateway serves them (``GET /api/v1/org/vocabularies``) so pages show the labels without
keeping copies."""
from fazhi_shared.http import Term, Vocabulary

from fazhi_org_contract import roles

UNIT_KINDS = Vocabulary(
    Term("city", "市", "city"), Term("street", "街道", "street"),
    Term("community", "社区", "community"), Term("compound", "小区", "compound"),
    Term("building", "楼栋", "building"), Term("unit", "房屋", "unit"))

ROLES = Vocabulary(
    Term("city_admin", "市级管理员", "city administrator"),
    Term("street_admin", "街道管理员", "street administrator"),
    Term("judicial_staff", "司法所工作人员", "judicial office staff"),
    Term("community_worker", "社区工作者", "community worker"),
    Term("grid_worker", "网格员", "grid worker"),
    Term("property_staff", "物业人员", "property staff"),
    Term("owners_committee", "业主委员会", "owners' committee"),
    Term("lawyer", "律师", "lawyer"),
    Term("legal_literate", "法律明白人", "legal-literate person"),
    Term("mediator", "人民调解员", "people's mediator"),
    Term("assessor", "人民陪审员", "people's assessor"),
    Term("volunteer", "志愿者", "volunteer"),
    Term("auditor", "审计员", "auditor"),
    Term("resident", "居民", "resident"))

# The duty roles another service may give a person's account (``grant_person_role``).
PERSON_GRANTABLE_ROLES = Vocabulary(*(t for t in ROLES if t.code in roles.PERSON_GRANTABLE_ROLES))

GENDERS = Vocabulary(Term("female", "女", "female"), Term("male", "男", "male"))

RELATIONS = Vocabulary(
    Term("owner_occupier", "业主自住", "owner-occupier"), Term("tenant", "租户", "tenant"),
    Term("family_member", "家庭成员", "family member"))

# In order of precedence (SPC interpretation on building ownership, art. 8).
AREA_SOURCES = Vocabulary(
    Term("registered", "不动产登记面积", "registered area"),
    Term("surveyed", "实测面积", "surveyed area"),
    Term("contract", "合同约定面积", "sales-contract area"))

OWNER_KINDS = Vocabulary(
    Term("person", "自然人", "person"), Term("organisation", "单位", "organisation"),
    Term("developer", "建设单位（开发商）", "developer"))

CLAIM_STATUSES = Vocabulary(
    Term("pending", "待确认", "pending"), Term("confirmed", "已确认", "confirmed"),
    Term("rejected", "已驳回", "rejected"))

CLAIM_DECISIONS = Vocabulary(Term("confirm", "确认", "confirm"),
                             Term("reject", "驳回", "reject"))

POSITIONS = Vocabulary(Term("chair", "主任", "chair"), Term("vice_chair", "副主任", "vice-chair"),
                       Term("member", "委员", "member"))

PARTY_ORG_KINDS = Vocabulary(
    Term("street_working_committee", "街道党工委", "street Party working committee"),
    Term("judicial_office_branch", "司法所党支部", "judicial-office Party branch"),
    Term("community_branch", "社区党支部", "community Party branch"),
    Term("compound_group", "小区党小组", "compound Party group"))

# The compound bodies org keeps (four of the "five haves"; the fifth is a Party group).
BODY_KINDS = Vocabulary(
    Term("property_company", "物业服务企业", "property company"),
    Term("owners_committee", "业主委员会", "owners' committee"),
    Term("mediation_committee", "人民调解委员会", "mediation committee"),
    Term("deliberation_venue", "援法议事场所", "law-aided deliberation venue"))

FIVE_HAVES = Vocabulary(
    Term("property_company", "物业服务企业", "property company"),
    Term("owners_committee", "业主委员会", "owners' committee"),
    Term("party_group", "党小组", "Party group"),
    Term("mediation_committee", "人民调解委员会", "mediation committee"),
    Term("deliberation_venue", "援法议事场所", "law-aided deliberation venue"))

VOCABULARIES = {
    "unit_kinds": UNIT_KINDS, "roles": ROLES, "genders": GENDERS, "relations": RELATIONS,
    "area_sources": AREA_SOURCES, "owner_kinds": OWNER_KINDS,
    "claim_statuses": CLAIM_STATUSES, "claim_decisions": CLAIM_DECISIONS,
    "positions": POSITIONS, "party_org_kinds": PARTY_ORG_KINDS, "body_kinds": BODY_KINDS,
    "five_haves": FIVE_HAVES,
}

# -- limits ---------------------------------------------------------------------------------
MAX_AREA = 10 ** 9                  # 0.01 m² units: 10 million m², far above any one unit
MAX_IMPORT_BYTES = 10 * 1024 * 1024  # a workbook upload
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
