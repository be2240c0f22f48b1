"""An enum field built from a vocabulary (issue 9, point 5) says what it accepts in the
reader's words: the Chinese labels in Chinese ("必须是以下之一：小区、楼栋。"), the codes in
English, and its OpenAPI property lists the codes with their labels."""
import pytest
from marshmallow import ValidationError, fields

from fazhi_shared.errors import ValidationFailed
from fazhi_shared.http import Term, Vocabulary
from fazhi_shared.schemas import BaseSchema, OneOfVocabulary, VocabularyField

KINDS = Vocabulary(Term("compound", "小区", "compound"), Term("building", "楼栋", "building"))


class Thing(BaseSchema):
    kind = VocabularyField(KINDS, required=True)
    kinds = fields.List(VocabularyField(KINDS), load_default=None)


def refusal(data) -> ValidationFailed:
    with pytest.raises(ValidationError) as info:
        Thing().load(data)
    return ValidationFailed.from_marshmallow(info.value.messages)


def test_a_wrong_code_is_refused_naming_the_labels_in_chinese_and_the_codes_in_english():
    err = refusal({"kind": "house"})
    assert err.to_payload("zh")["fields"] == {"kind": ["必须是以下之一：小区、楼栋。"]}
    assert err.to_payload("en")["fields"] == {"kind": ["Must be one of: compound, building."]}


def test_each_item_of_a_list_is_checked_the_same_way():
    err = refusal({"kind": "compound", "kinds": ["building", "tower"]})
    assert err.to_payload("zh")["fields"] == {"kinds.1": ["必须是以下之一：小区、楼栋。"]}


def test_good_codes_load_and_the_validator_keeps_its_choices():
    assert Thing().load({"kind": "building"}) == {"kind": "building", "kinds": None}
    validator = OneOfVocabulary(KINDS)
    assert validator.choices == ["compound", "building"]
    assert validator("compound") == "compound"
    with pytest.raises(ValidationError):
        validator(["compound"])             # not hashable: still just a refusal


def test_the_openapi_property_names_codes_and_labels():
    from apispec import APISpec
    from apispec.ext.marshmallow import MarshmallowPlugin

    spec = APISpec("t", "1", "3.0.3", plugins=[MarshmallowPlugin()])
    spec.components.schema("Thing", schema=Thing)
    prop = spec.to_dict()["components"]["schemas"]["Thing"]["properties"]["kind"]
    assert prop["enum"] == ["compound", "building"]
    assert prop["x-labels"] == {"compound": "小区", "building": "楼栋"}
