"""The legal service's RPC methods: thin adapters from the contract to the use cases.

``@endpoint`` validates the input, checks the caller and commits a successful write;
``Service`` gives ``db``, ``outbox``, ``unit_tree`` and ``ping``
(``fazhi_shared.service.defaults``). Rules live in ``legal.domain``, use cases in the
modules beside this one; nothing else belongs here.
"""
from __future__ import annotations

import logging

from nameko.timer import timer

from fazhi_shared import clock, files
from fazhi_shared.service import offload
from fazhi_shared.service.calls import ServiceCalls
from fazhi_shared.service.defaults import Service
from fazhi_shared.service.rpc import endpoint

from fazhi_legal_contract import CONTRACT
from fazhi_legal_contract import schemas as s

from legal import (bookings, consultations, duty, feeds, lists, literates, promotions,
                   rosters, training)
from legal.config import (AGREEMENT_CHECK_SECONDS, AGREEMENT_WARNING_DAYS, COMMUNITY_TARGET,
                          DATABASE_URL, PROFILE_BASE_URL, SETTINGS, SHIFT_TIMES,
                          TRAINING_MINIMUM)
from legal.documents import roster_workbook
from legal.handlers import LegalHandlers
from legal.models import tables
from legal.org_calls import Org

log = logging.getLogger(__name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class LegalService(Service, LegalHandlers):
    name = "legal"
    database = DATABASE_URL
    tables = tables
    settings = SETTINGS
    contract = CONTRACT      # service_callable: what other services may call as themselves
    calls = ServiceCalls()

    def _org(self, caller) -> Org:
        return Org(caller, self.calls.amqp_uri)

    # -- legal-literate persons ---------------------------------------------------------
    @endpoint(s.LiterateNominate, s.Literate)
    def nominate_literate(self, caller, data):
        """Take in a person (org is asked for their name, as legal itself)."""
        return literates.nominate(self.db, self.outbox, self._org(caller), caller, data)

    @endpoint(s.LiterateList, s.Literate, many=True, readonly=True)
    def list_literates(self, caller, data):
        return literates.list_literates(self.db, caller, data)

    @endpoint(s.LiterateRef, s.Literate, readonly=True)
    def get_literate(self, caller, data):
        return literates.get(self.db, caller, data)

    @endpoint(s.LiterateAssess, s.Literate)
    def assess_literate(self, caller, data):
        return literates.assess(self.db, caller, data)

    @endpoint(s.LiterateDecide, s.Literate)
    def decide_literate(self, caller, data):
        """Confirm (emits ``legal.person.confirmed``) or reject with a reason."""
        return literates.decide(self.db, self.outbox, caller, data)

    @endpoint(s.LiterateBuildings, s.Literate)
    def assign_buildings(self, caller, data):
        return literates.assign_buildings(self.db, caller, data)

    @endpoint(s.LiterateRef, s.LiterateProfile, anonymous=True, readonly=True)
    def literate_profile(self, caller, data):
        """Anyone (a QR code on the door): name, buildings, duties, no phone number."""
        return literates.profile(self.db, data)

    @endpoint(s.LiterateRef, s.FileRef)
    def name_card(self, caller, data):
        """The printable name card (PDF, rendered in a worker process)."""
        from fazhi_shared.service import pdf

        offload.prestart()
        doc, filename = literates.name_card_document(self.db, caller, data,
                                                     PROFILE_BASE_URL.get())
        content = offload.run(pdf.render, doc)
        return files.put_bytes(content, "application/pdf", filename)

    @endpoint(s.BuildingCoverageQuery, s.BuildingCoverage, readonly=True)
    def coverage(self, caller, data):
        return literates.coverage(self.db, caller, data, COMMUNITY_TARGET.get())

    # -- training ---------------------------------------------------------------------------
    @endpoint(s.TrainingCreate, s.Training)
    def create_training(self, caller, data):
        return training.create(self.db, caller, data)

    @endpoint(s.TrainingList, s.Training, many=True, readonly=True)
    def list_trainings(self, caller, data):
        return training.list_trainings(self.db, caller, data)

    @endpoint(s.AttendanceRecord, s.Training)
    def record_attendance(self, caller, data):
        return training.record_attendance(self.db, caller, data)

    @endpoint(s.TrainingReportQuery, s.TrainingReport, readonly=True)
    def training_report(self, caller, data):
        return training.report(self.db, caller, data, TRAINING_MINIMUM.get())

    # -- promotion --------------------------------------------------------------------------
    @endpoint(s.PromotionRequest, s.Promotion)
    def promote(self, caller, data):
        """Refused with every reason, or applied in org as legal itself."""
        return promotions.promote(self.db, self.outbox, self._org(caller), caller, data)

    @endpoint(s.PromotionList, s.Promotion, many=True, readonly=True)
    def list_promotions(self, caller, data):
        return promotions.list_promotions(self.db, caller, data)

    # -- firms, helpers, agreements ---------------------------------------------------------
    @endpoint(s.FirmCreate, s.Firm)
    def create_firm(self, caller, data):
        return rosters.create_firm(self.db, caller, data)

    @endpoint(s.LegalScopedList, s.Firm, many=True, readonly=True)
    def list_firms(self, caller, data):
        return rosters.list_firms(self.db, caller, data)

    @endpoint(s.DutyHelperCreate, s.DutyHelper)
    def create_helper(self, caller, data):
        return rosters.create_helper(self.db, caller, data)

    @endpoint(s.LegalScopedList, s.DutyHelper, many=True, readonly=True)
    def list_helpers(self, caller, data):
        return rosters.list_helpers(self.db, caller, data)

    @endpoint(s.AbsenceCreate, s.Absence)
    def record_absence(self, caller, data):
        return rosters.record_absence(self.db, caller, data)

    @endpoint(s.AgreementCreate, s.Agreement)
    def create_agreement(self, caller, data):
        return rosters.create_agreement(self.db, caller, data)

    @endpoint(s.LegalScopedList, s.Agreement, many=True, readonly=True)
    def list_agreements(self, caller, data):
        return rosters.list_agreements(self.db, caller, data)

    @timer(interval=AGREEMENT_CHECK_SECONDS.get())
    def warn_expiring_agreements(self):
        """Every so often: ``legal.agreement.expiring`` once per agreement ending soon."""
        try:
            sent = rosters.warn_expiring(self.db, self.outbox, clock.today_local(),
                                         AGREEMENT_WARNING_DAYS.get())
            self.db.commit()
            if sent:
                log.info("agreement expiry warnings sent: %d", sent)
        except Exception:
            self.db.rollback()
            log.warning("agreement expiry check failed", exc_info=True)

    # -- rosters ----------------------------------------------------------------------------
    @endpoint(s.RosterGenerate, s.Roster)
    def generate_roster(self, caller, data):
        """A draft roster of half-day shifts (fair shares, availability, no overlap)."""
        return rosters.generate(self.db, caller, data, SHIFT_TIMES.get())

    @endpoint(s.RosterList, s.RosterSummary, many=True, readonly=True)
    def list_rosters(self, caller, data):
        return rosters.list_rosters(self.db, caller, data)

    @endpoint(s.RosterRef, s.Roster, readonly=True)
    def get_roster(self, caller, data):
        return rosters.get_roster(self.db, caller, data)

    @endpoint(s.RosterRef, s.Roster)
    def publish_roster(self, caller, data):
        """Publish (emits ``legal.roster.published``: the duty board follows)."""
        return rosters.publish(self.db, self.outbox, caller, data)

    @endpoint(s.RosterRef, s.FileRef, readonly=True)
    def export_roster(self, caller, data):
        """The roster as .xlsx (built in a worker process)."""
        offload.prestart()
        roster = rosters.get_roster(self.db, caller, data)
        title = f"{roster['compound_name'] or ''} 法律顾问值班表 " \
                f"{roster['starts_on']} 至 {roster['ends_on']}"
        content = offload.run(roster_workbook, title, roster["shifts"])
        return files.put_bytes(content, XLSX, f"值班表-{roster['starts_on']}.xlsx")

    @endpoint(s.ShiftAdd, s.RosterShift)
    def add_shift(self, caller, data):
        return rosters.add_shift(self.db, self.outbox, caller, data)

    @endpoint(s.ShiftEdit, s.RosterShift)
    def edit_shift(self, caller, data):
        """A hand edit; an overlap with the helper's shifts anywhere is a 409."""
        return rosters.edit_shift(self.db, self.outbox, caller, data)

    @endpoint(s.ShiftRef, s.RosterShift)
    def remove_shift(self, caller, data):
        return rosters.remove_shift(self.db, self.outbox, caller, data)

    @endpoint(s.MyDutyShifts, s.RosterShift, many=True, readonly=True)
    def my_shifts(self, caller, data):
        return rosters.my_shifts(self.db, caller, data)

    @endpoint(s.ShiftSwapRequest, s.ShiftSwap)
    def request_swap(self, caller, data):
        return rosters.request_swap(self.db, caller, data)

    @endpoint(s.ShiftSwapDecide, s.ShiftSwap)
    def decide_swap(self, caller, data):
        return rosters.decide_swap(self.db, self.outbox, caller, data)

    @endpoint(s.ShiftSwapList, s.ShiftSwap, many=True, readonly=True)
    def list_swaps(self, caller, data):
        return rosters.list_swaps(self.db, caller, data)

    @endpoint(s.DutyQuery, s.DutyNow, readonly=True)
    def duty_now(self, caller, data):
        """On duty now and next, from the duty board (the roster events' read model)."""
        return duty.now_and_next(self.db, caller, data)

    # -- calendar feeds ---------------------------------------------------------------------
    @endpoint(s.CalendarFeedCreate, s.CalendarFeed)
    def create_feed(self, caller, data):
        return feeds.create(self.db, caller, data, PROFILE_BASE_URL.get())

    @endpoint(s.LegalScopedList, s.CalendarFeed, many=True, readonly=True)
    def list_feeds(self, caller, data):
        return feeds.list_feeds(self.db, caller, data)

    @endpoint(s.CalendarFeedRef, s.CalendarFeed)
    def revoke_feed(self, caller, data):
        return feeds.revoke(self.db, caller, data)

    @endpoint(s.CalendarFeedToken, s.FileRef, anonymous=True, readonly=True)
    def calendar_feed(self, caller, data):
        """The iCalendar of a feed; its secret token is the only credential."""
        return feeds.calendar(self.db, data)

    # -- consultations ----------------------------------------------------------------------
    @endpoint(s.DutySlotQuery, s.DutySlot, many=True, readonly=True)
    def list_slots(self, caller, data):
        return bookings.list_slots(self.db, caller, data)

    @endpoint(s.BookingCreate, s.Booking)
    def book(self, caller, data):
        """A place in a shift, safe under concurrent requests; emits booking.confirmed."""
        return bookings.book(self.db, self.outbox, caller, data)

    @endpoint(s.BookingRef, s.Booking)
    def cancel_booking(self, caller, data):
        return bookings.cancel(self.db, self.outbox, caller, data)

    @endpoint(s.BookingList, s.Booking, many=True, readonly=True)
    def list_bookings(self, caller, data):
        return bookings.list_bookings(self.db, caller, data)

    @endpoint(s.ConsultationCreate, s.Consultation)
    def record_consultation(self, caller, data):
        return consultations.record(self.db, self.outbox, caller, data)

    @endpoint(s.ConsultationComplete, s.Consultation)
    def complete_consultation(self, caller, data):
        return consultations.complete(self.db, self.outbox, caller, data)

    @endpoint(s.ConsultationRef, s.Consultation)
    def escalate_consultation(self, caller, data):
        """Turn into a dispute: emits ``legal.consultation.escalated``."""
        return consultations.escalate(self.db, self.outbox, caller, data)

    @endpoint(s.ConsultationRef, s.Consultation, readonly=True)
    def get_consultation(self, caller, data):
        return consultations.get(self.db, caller, data)

    @endpoint(s.ConsultationList, s.Consultation, many=True, readonly=True)
    def list_consultations(self, caller, data):
        return consultations.list_consultations(self.db, caller, data)

    # -- lists and conventions --------------------------------------------------------------
    @endpoint(s.ListPublish, s.ServiceList)
    def publish_list(self, caller, data):
        return lists.publish_list(self.db, caller, data)

    @endpoint(s.ListQuery, s.ServiceList, readonly=True)
    def get_list(self, caller, data):
        return lists.get_list(self.db, caller, data)

    @endpoint(s.ListVersions, s.ServiceList, many=True, readonly=True)
    def list_versions(self, caller, data):
        return lists.list_versions(self.db, caller, data)

    @endpoint(s.ConventionPublish, s.Convention)
    def publish_convention(self, caller, data):
        return lists.publish_convention(self.db, caller, data)

    @endpoint(s.ConventionQuery, s.Convention, readonly=True)
    def get_convention(self, caller, data):
        return lists.get_convention(self.db, caller, data)

    @endpoint(s.ConventionVersions, s.Convention, many=True, readonly=True)
    def list_conventions(self, caller, data):
        return lists.list_conventions(self.db, caller, data)
