"""RPC endpoints of the organisation: Party organisations, compound bodies, micro-grids,
the "five haves". Mixed into ``OrgService`` (which gives ``db`` and ``outbox``).

Each method: validate (``@endpoint``) → use case in ``org.organisation`` (``party``,
``bodies``, ``grids``, ``five_haves``) → commit → dump.
Outside the caller's scope every method answers ``not_found``; a role that may not write
gets ``forbidden``; a refusal by a rule is ``validation_failed`` naming the field, with the
reason in Chinese and English.
"""
from fazhi_shared.service.rpc import endpoint

from fazhi_org_contract.schemas import organisation as s
from fazhi_org_contract.schemas.registry import WorkbookFile

from org.organisation import bodies, five_haves, grids, party


class OrganisationRpc:
    # -- Party organisations ---------------------------------------------------------------
    @endpoint(s.PartyOrgCreate, s.PartyOrg)
    def create_party_org(self, caller, data):
        """A Party organisation attached to a unit of its level (street working committee
        and judicial-office branch: street; community branch: community; compound group:
        compound), under ``parent_id`` or else the only one of the parent kind above.
        Emits ``org.party_org.created``."""
        return party.create_party_org(self.db, self.outbox, caller, data)

    @endpoint(s.PartyOrgRef, s.PartyOrg, readonly=True)
    def get_party_org(self, caller, data):
        """The organisation with its current member count."""
        return party.get_party_org(self.db, caller, data)

    @endpoint(s.PartyOrgList, s.PartyOrg, many=True, readonly=True)
    def list_party_orgs(self, caller, data):
        """A page of the organisations attached at or under ``unit_id`` (creation order)."""
        return party.list_party_orgs(self.db, caller, data)

    @endpoint(s.PartyMemberAdd, s.PartyMember)
    def add_party_member(self, caller, data):
        """Add a person to the organisation (a former member rejoins); emits
        ``org.party_member.added``."""
        return party.add_party_member(self.db, self.outbox, caller, data)

    @endpoint(s.PartyMemberRemove, s.PartyMember)
    def remove_party_member(self, caller, data):
        """End a membership on ``left_on`` (default today); emits ``org.party_member.removed``."""
        return party.remove_party_member(self.db, self.outbox, caller, data)

    @endpoint(s.PartyMemberList, s.PartyMember, many=True, readonly=True)
    def list_party_members(self, caller, data):
        """A page of members (staff in scope only: membership is public only by choice)."""
        return party.list_party_members(self.db, caller, data)

    @endpoint(s.ShowIdentitySet, s.PublicProfile)
    def set_show_identity(self, caller, data):
        """The member (or staff for them) chooses whether "中共党员" shows on their public
        profile; returns the profile as others now see it. Emits ``org.party_member.updated``."""
        return party.set_show_identity(self.db, self.outbox, caller, data)

    @endpoint(s.PersonProfileRef, s.PublicProfile, readonly=True)
    def get_public_profile(self, caller, data):
        """Name, current duties in compounds, and "中共党员" only if the person shows it."""
        return party.public_profile(self.db, caller, data)

    # -- compound bodies -------------------------------------------------------------------
    @endpoint(s.OwnersCommitteeSetUp, s.Body)
    def set_up_owners_committee(self, caller, data):
        """Record the compound's owners' committee (members, term); the current one is
        dissolved. Emits ``org.body.set_up`` (and ``org.body.dissolved``)."""
        return bodies.set_up_owners_committee(self.db, self.outbox, caller, data)

    @endpoint(s.PropertyCompanySetUp, s.Body)
    def set_up_property_company(self, caller, data):
        """Record the compound's property company and its contract period (start ≤ end;
        the end day is covered). Replaces the current one."""
        return bodies.set_up_property_company(self.db, self.outbox, caller, data)

    @endpoint(s.MediationCommitteeSetUp, s.Body)
    def set_up_mediation_committee(self, caller, data):
        """Set up the people's mediation committee: 3–9 members, at least one recorded as
        female, one chair, a three-year term — refused otherwise with every reason. An
        active committee is dissolved and replaced."""
        return bodies.set_up_mediation_committee(self.db, self.outbox, caller, data)

    @endpoint(s.DeliberationVenueSetUp, s.Body)
    def set_up_deliberation_venue(self, caller, data):
        """Record the law-aided deliberation venue (address, opening hours); replaces the
        current one."""
        return bodies.set_up_deliberation_venue(self.db, self.outbox, caller, data)

    @endpoint(s.MediationSeat, s.Body)
    def seat_mediation_committee_member(self, caller, data):
        """Seat a person on the compound's current mediation committee as a member
        (idempotent); emits ``org.body.member_seated``."""
        return bodies.seat_mediation_committee_member(self.db, self.outbox, caller, data)

    @endpoint(s.BodyDissolve, s.Body)
    def dissolve_body(self, caller, data):
        """Dissolve a body (a contract ended, a committee stood down), with the reason;
        emits ``org.body.dissolved``."""
        return bodies.dissolve_body(self.db, self.outbox, caller, data)

    @endpoint(s.BodyList, s.Body, many=True, readonly=True)
    def list_bodies(self, caller, data):
        """A page of the compound's bodies, current only or with dissolved ones."""
        return bodies.list_bodies(self.db, caller, data)

    @endpoint(s.CompoundRef, s.CompoundOrganisation, readonly=True)
    def get_compound_organisation(self, caller, data):
        """The three-way linkage at a glance: current owners' committee, property company,
        mediation committee, deliberation venue, Party groups and the micro-grid."""
        return bodies.compound_organisation(self.db, caller, data)

    # -- micro-grids ------------------------------------------------------------------------
    @endpoint(s.GridEnsure, s.Grid)
    def ensure_grid(self, caller, data):
        """The compound's micro-grid, made on first call (one per compound); emits
        ``org.grid.created`` when made."""
        return grids.ensure_grid(self.db, self.outbox, caller, data)

    @endpoint(s.CompoundRef, s.Grid, readonly=True)
    def get_grid(self, caller, data):
        """The compound's micro-grid with the grid workers on duty today."""
        return grids.get_grid(self.db, caller, data)

    @endpoint(s.GridWorkerAssign, s.GridWorker)
    def assign_grid_worker(self, caller, data):
        """Put a person on the compound's grid from ``since`` (the grid is made if needed);
        emits ``org.grid.worker_assigned``."""
        return grids.assign_grid_worker(self.db, self.outbox, caller, data)

    @endpoint(s.GridWorkerUnassign, s.GridWorker)
    def unassign_grid_worker(self, caller, data):
        """Take a grid worker off duty from ``until`` (default today); emits
        ``org.grid.worker_unassigned``."""
        return grids.unassign_grid_worker(self.db, self.outbox, caller, data)

    # -- the five haves ----------------------------------------------------------------------
    @endpoint(s.FiveHavesQuery, s.FiveHaves, readonly=True)
    def get_five_haves(self, caller, data):
        """One compound's checklist on ``as_of`` (default today): which of the five it
        has, what it lacks, and whether a grid worker is on duty."""
        return five_haves.five_haves(self.db, caller, data)

    @endpoint(s.CoverageQuery, s.Coverage, readonly=True)
    def five_haves_coverage(self, caller, data):
        """Every compound under a community, street or city (staff in scope): each one's
        checklist, per have the compounds lacking it, and the counts."""
        return five_haves.five_haves_coverage(self.db, caller, data)

    @endpoint(s.CoverageQuery, WorkbookFile, readonly=True)
    def export_five_haves_coverage(self, caller, data):
        """The coverage report as an .xlsx in the shared file store (a row per compound
        with its street and community, and a summary sheet); readers as the report."""
        return five_haves.export_coverage(self.db, caller, data)
