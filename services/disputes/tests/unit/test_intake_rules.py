"""Intake, the confirmation window and attachments: pure rules."""
import io
from datetime import date

import pytest

from fazhi_shared.calendar import HolidayCalendar
from fazhi_shared.context import Grant, Principal
from fazhi_shared.errors import Forbidden, ValidationFailed

from fazhi_disputes_contract.roles import CASE_HANDLERS
from fazhi_disputes_contract.vocabulary import MAX_TEXT

from disputes.domain import attachments, intake
from disputes.domain.confirmation import confirmation_window

CAL = HolidayCalendar.from_package()
COMPOUND = "/c/s/m/p"


def test_the_window_whose_30th_day_falls_in_national_day_ends_on_the_next_working_day():
    # effective 2026-09-03: day 30 is Sat 3 Oct, inside the holiday of 1-7 Oct 2026
    w = confirmation_window(date(2026, 9, 3), False, CAL)
    assert w == {"offered": True, "last_day": date(2026, 10, 8), "approximate": False}


def test_a_window_on_a_working_day_is_30_days_first_day_not_counted():
    assert confirmation_window(date(2026, 3, 2), False, CAL)["last_day"] == date(2026, 4, 1)


def test_a_window_ending_on_a_weekend_moves_to_monday():
    assert confirmation_window(date(2026, 5, 29), False, CAL)["last_day"] == date(2026, 6, 29)


def test_no_window_when_the_agreement_concerns_marriage_adoption_or_identity():
    assert confirmation_window(date(2026, 9, 3), True, CAL) == {
        "offered": False, "last_day": None, "approximate": False}


def test_a_year_without_official_data_is_approximate():
    assert confirmation_window(date(2027, 3, 1), False, CAL)["approximate"] is True


@pytest.mark.parametrize("path, ok", [("/c", False), ("/c/s", False), ("/c/s/m", False),
                                      (COMPOUND, True), (COMPOUND + "/b", True),
                                      (COMPOUND + "/b/u", True)])
def test_a_case_lies_in_a_compound(path, ok):
    if ok:
        intake.require_case_location(path)
    else:
        with pytest.raises(ValidationFailed):
            intake.require_case_location(path)


def test_parties_one_role_each_and_an_applicant():
    assert intake.check_parties([{"person_id": "a", "role": "applicant"},
                                 {"person_id": "b", "role": "respondent"}])
    with pytest.raises(ValidationFailed):
        intake.check_parties([{"person_id": "a", "role": "applicant"},
                              {"person_id": "a", "role": "respondent"}])
    with pytest.raises(ValidationFailed):
        intake.check_parties([{"person_id": "b", "role": "respondent"}])


def test_text_is_cleaned_and_bounded():
    assert intake.clean_text("  a  \r\n\r\n\r\n\r\nb ") == "a\n\nb"
    with pytest.raises(ValidationFailed) as info:
        intake.clean_text(" \n ", "reason")
    assert "reason" in info.value.fields["zh"]
    assert intake.clean_text("x" * MAX_TEXT) == "x" * MAX_TEXT
    with pytest.raises(ValidationFailed):
        intake.clean_text("x" * (MAX_TEXT + 1))


@pytest.mark.parametrize("role", CASE_HANDLERS)
def test_handlers_act_under_their_grant(role):
    intake.require_role(Principal(kind="user", grants=(Grant(role, "/c/s"),)), CASE_HANDLERS,
                        COMPOUND)
    with pytest.raises(Forbidden):
        intake.require_role(Principal(kind="user", grants=(Grant(role, "/c/t"),)),
                            CASE_HANDLERS, COMPOUND)
    with pytest.raises(Forbidden):
        intake.require_role(Principal(kind="user", grants=(Grant("resident", COMPOUND),)),
                            CASE_HANDLERS, COMPOUND)


def test_time_limit_and_overdue():
    due = intake.due_on(date(2026, 9, 3), 30, CAL)
    assert due == date(2026, 10, 8)
    assert not intake.is_overdue("mediating", due, due)
    assert intake.is_overdue("mediating", due, date(2026, 10, 9))
    assert intake.is_overdue("accepted", due, date(2026, 10, 9))
    assert not intake.is_overdue("settled", due, date(2026, 10, 9))
    assert not intake.is_overdue("mediating", None, date(2026, 10, 9))


def test_summary_is_the_first_line_cut():
    assert intake.summary_of("短\n第二行") == "短"
    assert intake.summary_of("长" * 100, 10) == "长" * 9 + "…"


@pytest.mark.parametrize("head, kind", [(b"\xff\xd8\xff\xe0xx", "image/jpeg"),
                                        (b"\x89PNG\r\n\x1a\nxx", "image/png"),
                                        (b"%PDF-1.7", "application/pdf")])
def test_files_are_known_by_their_first_bytes(head, kind):
    assert attachments.sniff(head) == kind


@pytest.mark.parametrize("head", [b"", b"PK\x03\x04", b"<svg", b"GIF89a", b"MZ"])
def test_other_files_are_refused(head):
    with pytest.raises(ValidationFailed) as info:
        attachments.sniff(head)
    assert "file" in info.value.fields["zh"]


def jpeg_with_gps() -> bytes:
    from PIL import Image

    img = Image.new("RGB", (40, 30), (200, 10, 10))
    exif = Image.Exif()
    exif[0x010F] = "FazhiCam"                              # Make
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (32.0, 10.0, 0.0)                # latitude 32°10'
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_a_photo_loses_its_location_and_keeps_its_pixels():
    from PIL import Image

    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)
    clean = attachments.without_location(original, "image/jpeg")
    img = Image.open(io.BytesIO(clean))
    assert not img.getexif().get_ifd(0x8825) and 0x010F not in img.getexif()
    assert img.size == (40, 30)


def test_a_png_loses_its_metadata():
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("GPS", "32.1,120.0")
    out = io.BytesIO()
    Image.new("RGB", (5, 5)).save(out, "PNG", pnginfo=info)
    clean = attachments.without_location(out.getvalue(), "image/png")
    assert "GPS" not in Image.open(io.BytesIO(clean)).info
