"""org's code lists are the contract's vocabulary: every rule table keyed by a code covers
exactly the vocabulary's codes (a code added to the contract without its rule, or a rule
left behind for a removed code, fails here rather than with a KeyError in production)."""
import pytest

from fazhi_shared.paths import LEVELS

from fazhi_org_contract import vocabulary as v
from fazhi_org_contract.roles import ACCOUNT_MATRIX, BODY_WRITERS, UNIT_WRITERS

from org.domain import bodies, electorate, five_haves, party, tree
from org.domain.electorate import AreaFormatError
from org.workbook import layout


def codes(vocab) -> list:
    return list(vocab.codes)


# -- the unit tree --------------------------------------------------------------------------
def test_tree_tables_cover_the_unit_kinds():
    assert list(LEVELS) == codes(v.UNIT_KINDS)
    assert list(tree.LEVEL_NAMES) == codes(v.UNIT_KINDS)
    assert list(UNIT_WRITERS) == codes(v.UNIT_KINDS)



def test_the_account_matrix_names_known_roles():
    for action, powers in ACCOUNT_MATRIX.items():
        assert set(powers) <= set(codes(v.ROLES)), action
        assert all(set(roles) <= set(codes(v.ROLES)) for roles in powers.values()), action


# -- Party organisations ---------------------------------------------------------------------
def test_party_org_rules_cover_exactly_the_party_org_kinds():
    assert list(party.PARTY_ORG_KINDS) == codes(v.PARTY_ORG_KINDS)


def test_party_org_rules_name_known_levels_and_parents_with_the_vocabulary_labels():
    for code, spec in party.PARTY_ORG_KINDS.items():
        assert spec.level in LEVELS, code
        assert set(spec.parents) <= set(codes(v.PARTY_ORG_KINDS)), code
        assert (spec.zh, spec.en) == (v.PARTY_ORG_KINDS.label(code, "zh"),
                                      v.PARTY_ORG_KINDS.label(code, "en"))
    assert party.PARTY_GROUP in codes(v.PARTY_ORG_KINDS)


# -- compound bodies and the five haves ---------------------------------------------------------
def test_positions_are_the_vocabulary_s():
    assert list(bodies.POSITIONS) == codes(v.POSITIONS)
    assert list(bodies.POSITION_NAMES) == codes(v.POSITIONS)
    assert bodies.FEMALE in codes(v.GENDERS)


def test_five_haves_tables_cover_the_vocabulary():
    assert list(five_haves.HAVES) == codes(v.FIVE_HAVES)
    assert list(five_haves.HAVE_NAMES) == codes(v.FIVE_HAVES)
    assert list(five_haves.BODY_KINDS) == codes(v.BODY_KINDS)
    # every body kind is one of the five haves (the fifth is the Party group)
    assert set(five_haves.BODY_KINDS) | {"party_group"} == set(five_haves.HAVES)


def test_body_writers_cover_exactly_the_body_kinds():
    assert set(BODY_WRITERS) == set(codes(v.BODY_KINDS))


# -- areas and owners ----------------------------------------------------------------------------
def test_area_sources_in_order_of_precedence():
    assert electorate.AREA_SOURCES == (electorate.REGISTERED, electorate.SURVEYED,
                                       electorate.CONTRACT)
    assert list(electorate.AREA_SOURCES) == codes(v.AREA_SOURCES)
    assert electorate.MAX_AREA == v.MAX_AREA


def test_owner_kinds_are_the_vocabulary_s():
    assert electorate.OWNER_KINDS == (electorate.PERSON, electorate.ORGANISATION,
                                      electorate.DEVELOPER)
    assert list(electorate.OWNER_KINDS) == codes(v.OWNER_KINDS)


# -- the workbook's labels ------------------------------------------------------------------------
def test_workbook_label_tables_cover_exactly_the_vocabulary():
    assert list(layout.OWNER_KIND_LABELS) == codes(v.OWNER_KINDS)
    assert list(layout.OWNER_KINDS_ZH.values()) == codes(v.OWNER_KINDS)
    assert list(layout.RELATION_LABELS) == codes(v.RELATIONS)
    assert list(layout.RELATIONS_ZH.values()) == codes(v.RELATIONS)
    assert list(layout.AREA_LABELS) == [f"{source}_area" for source in codes(v.AREA_SOURCES)]
    area_columns = [c.key for c in layout.COLUMNS if c.key.endswith("_area")]
    assert area_columns == list(layout.AREA_LABELS)


def test_workbook_has_a_message_for_every_area_problem():
    found = set()
    for value in ("abc", "1.234", "0", str(v.MAX_AREA)):
        with pytest.raises(AreaFormatError) as info:
            electorate.area_from_decimal(value)
        found.add(info.value.code)
    assert found == set(layout.AREA_PROBLEMS)
