"""The judicial-confirmation window (People's Mediation Law art. 33, DOMAIN-RULES §0, §2):
the parties apply jointly within 30 days of the agreement's effective date, the first day
not counted, a last day on a rest day moving to the next working day (the shared
calendar); not offered when the agreement concerns the existence of a marriage or
adoption relationship or a person's identity (a flag on the agreement, not the category:
a support agreement in a family case can be confirmed)."""
from __future__ import annotations

from datetime import date

from fazhi_shared.calendar import HolidayCalendar

from fazhi_disputes_contract.vocabulary import CONFIRMATION_DAYS


def confirmation_window(effective_on: date, concerns_status: bool,
                        calendar: HolidayCalendar) -> dict:
    if concerns_status:
        return {"offered": False, "last_day": None, "approximate": False}
    end = calendar.period_end(effective_on, CONFIRMATION_DAYS)
    return {"offered": True, "last_day": end.last_day, "approximate": end.approximate}
