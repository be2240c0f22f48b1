"""The workbook's layout: one sheet ``房屋业主住户`` with Chinese headings, one row per unit
and occupant, the ``说明`` sheet's notes, and the labels written in cells (pure data)."""
from __future__ import annotations

from dataclasses import dataclass

from fazhi_org_contract import vocabulary

from org.domain.electorate import DEVELOPER, ORGANISATION, PERSON

SHEET, NOTES_SHEET = "房屋业主住户", "说明"
MAX_ROWS = 50_000


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    need: str           # 必填 / 选填 / 条件必填
    note: str
    example: str
    width: int = 14
    as_text: bool = False    # ID numbers and phones: text, so no digit is lost


COLUMNS = (
    Column("building", "楼栋", "必填", "楼栋名称。在本小区内按名称匹配，没有则新建。", "1幢", 10),
    Column("unit", "房号", "必填", "房号。在该楼栋内按名称匹配，没有则新建。", "1单元101", 12),
    Column("registered_area", "登记面积(㎡)", "选填",
           "不动产登记的专有部分面积，单位平方米，最多两位小数。", "89.35"),
    Column("surveyed_area", "测绘面积(㎡)", "选填", "房产测绘面积；没有登记面积时使用。", "89.60"),
    Column("contract_area", "合同面积(㎡)", "选填",
           "购房合同面积；没有登记、测绘面积时使用。", "90.12"),
    Column("owner_kind", "业主类型(个人/单位/开发商)", "条件必填",
           "填写业主时必填。开发商尚未售出的房屋填“开发商”，全部计为一名业主。", "个人", 16),
    Column("owner_name", "业主名称", "条件必填", "个人填姓名，单位、开发商填全称。", "张三", 16),
    Column("owner_id_number", "业主证件号码", "条件必填",
           "个人填18位身份证号码，单位填统一社会信用代码，开发商可填统一社会信用代码。",
           "321283199001011237", 22, True),
    Column("owner_phone", "业主电话", "选填", "仅用于新登记的人员；已登记人员的电话不会被覆盖。",
           "13812345678", 14, True),
    Column("owner_is_voter", "是否投票人(是/否)", "条件必填",
           "一户有多名共有人时，每人一行，恰好一人填“是”；只有一名业主时可不填。", "是", 12),
    Column("owner_since", "产权登记日期", "选填",
           "取得产权的日期。业主与已登记的不同时，从这一天起变更；不填则从导入时起。",
           "2020-05-01", 13),
    Column("resident_name", "住户姓名", "条件必填",
           "实际居住的人。“业主自住”且本行已填个人业主时可不填。", "张三", 12),
    Column("resident_relation", "住户关系(业主自住/租户/家庭成员)", "条件必填",
           "填写住户时必填。", "业主自住", 16),
    Column("resident_id_number", "住户证件号码", "选填",
           "18位身份证号码，用于准确识别住户；不填时在同一房屋内按姓名匹配。", "", 22, True),
    Column("resident_phone", "住户电话", "选填", "仅用于新登记的人员。", "", 14, True),
    Column("moved_in", "入住日期", "选填", "不填则为导入当天。", "2020-06-01", 13),
)
KEYS = tuple(c.key for c in COLUMNS)
HEADINGS = tuple(c.heading for c in COLUMNS)
REQUIRED_HEADINGS = ("楼栋", "房号")

GENERAL_NOTES = (
    "每一行是“一户房屋 + 一名业主和/或一名住户”。一户有多名共有人或多名住户时写多行，楼栋、房号相同。",
    "面积只需在其中一行填写；各行都填时须一致。面积留空表示不修改已登记的面积。",
    "专有部分面积按登记面积、测绘面积、合同面积的顺序取第一个已填写的（最高人民法院建筑物区分所有权司法解释第八条）。",
    "业主按证件号码（单位按统一社会信用代码）匹配；同一业主拥有多户时，各户都填同一证件号码，表决时只计一人。",
    "出错的行不导入，其余行照常导入；导入结果列出每个出错行的行号和原因。",
    "重复导入同一工作簿不会产生任何变化。导入不会删除房屋、业主或住户：迁出、过户请在系统中办理，或填写新的业主和产权登记日期。",
    "证件号码、电话请以文本格式填写（模板已设置），否则末几位数字可能丢失。文件不超过 10 MB。",
)

# Labels written in the workbook, by code (the workbook's own words: "个人" where the
# vocabulary says "自然人"); the codes are the contract vocabulary's.
OWNER_KIND_LABELS = {PERSON: "个人", ORGANISATION: "单位", DEVELOPER: "开发商"}
OWNER_KINDS_ZH = {label: code for code, label in OWNER_KIND_LABELS.items()}
RELATION_LABELS = {t.code: t.zh for t in vocabulary.RELATIONS}
RELATIONS_ZH = {label: code for code, label in RELATION_LABELS.items()}
YES_NO = {"是": True, "否": False}
AREA_LABELS = {"registered_area": ("登记面积", "registered area"),
               "surveyed_area": ("测绘面积", "surveyed area"),
               "contract_area": ("合同面积", "contract area")}
AREA_PROBLEMS = {"not_number": ("不是有效数字", "is not a valid number"),
                 "too_many_decimals": ("最多两位小数", "has more than 2 decimals"),
                 "not_positive": ("必须大于0", "must be greater than 0"),
                 "too_large": ("数值过大", "is too large")}
