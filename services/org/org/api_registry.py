"""RPC endpoints of the registry: areas, owners, dated ownership, electorate, residents,
workbook import and export. Mixed into ``OrgService``.

Writes need one of ``registry.REGISTRY_WRITERS`` on a grant covering the unit; reads need a
staff role in scope (or the system principal). Outside scope every method answers 404.
"""
from nameko.extensions import DependencyProvider

from fazhi_shared.service.db import after_commit
from fazhi_shared.service.rpc import endpoint

from fazhi_org_contract.schemas import registry as r

from org import import_history, registry, workbook


class ImportWorkers(DependencyProvider):
    """Runs workbook imports as managed threads of the service container: they outlive the
    RPC that started them, and stopping the service kills them (their open transaction is
    rolled back, so a killed import writes nothing)."""

    def get_dependency(self, worker_ctx):
        return self.run

    def run(self, job_id, content, principal, outbox):
        self.container.spawn_managed_thread(
            lambda: workbook.run_import(job_id, content, principal, outbox),
            identifier=f"workbook-import-{job_id}")


class RegistryRpc:
    import_workers = ImportWorkers()

    # -- areas ------------------------------------------------------------------------
    @endpoint(r.UnitAreaSet, r.UnitArea)
    def set_unit_area(self, caller, data):
        """Set a unit's registered / surveyed / contract areas (0.01 m²; omitted fields keep,
        null clears). Returns the areas with the exclusive area and its source (SPC art. 8).
        Emits ``org.unit.area_changed`` when something changed."""
        return registry.set_unit_area(self.db, self.outbox, caller, data)

    # -- owners -----------------------------------------------------------------------
    @endpoint(r.OwnerCreate, r.Owner)
    def create_owner(self, caller, data):
        """Find or create an owner of a compound (person by ID number or person id,
        organisation by credit code, the one developer). ``created`` says which; emits
        ``org.owner.created`` (and ``org.person.created`` for a new person)."""
        return registry.create_owner(self.db, self.outbox, caller, data)

    @endpoint(r.OwnerList, r.Owner, many=True, readonly=True)
    def list_owners(self, caller, data):
        """A page of a compound's owner records (every kind), by id."""
        return registry.list_owners(self.db, caller, data)

    @endpoint(r.OwnerRepresentativeSet, r.Owner)
    def set_owner_representative(self, caller, data):
        """Record the person who votes for an organisation owner or the developer (null
        clears); emits ``org.owner.representative_set`` when it changed."""
        return registry.set_owner_representative(self.db, self.outbox, caller, data)

    # -- dated ownership --------------------------------------------------------------
    @endpoint(r.UnitTransfer, r.UnitOwners)
    def transfer_unit(self, caller, data):
        """From ``at`` (default now) the unit belongs to ``owners`` (exactly one voter).
        Returns the owners from then on; emits ``org.ownership.changed``. Stating the
        current owners again changes nothing."""
        return registry.transfer_unit(self.db, self.outbox, caller, data)

    @endpoint(r.UnitOwnersQuery, r.UnitOwners, readonly=True)
    def unit_owners(self, caller, data):
        """The unit's owners at ``as_of`` (default now), the voter first."""
        return registry.unit_owners(self.db, caller, data)

    @endpoint(r.CompoundOwnersQuery, r.CompoundOwner, many=True, readonly=True)
    def compound_owners(self, caller, data):
        """A page of the owners (co-owners too) holding units of the compound at ``as_of``,
        with the units they hold and those they vote for."""
        return registry.compound_owners(self.db, caller, data)

    @endpoint(r.ElectorateQuery, r.Electorate, readonly=True)
    def electorate(self, caller, data):
        """The compound's electorate at ``as_of``: each owner once with the total area of
        the units they vote for, ``heads`` 1, and the totals A_total / N_total."""
        return registry.electorate(self.db, caller, data)

    # -- residents --------------------------------------------------------------------
    @endpoint(r.MoveIn, r.Resident)
    def move_in(self, caller, data):
        """Record a person moving into a unit on ``date`` (default today); emits
        ``org.resident.moved_in``."""
        return registry.move_in(self.db, self.outbox, caller, data)

    @endpoint(r.MoveOut, r.Resident)
    def move_out(self, caller, data):
        """Record a residency ending on ``date`` (the first day away); emits
        ``org.resident.moved_out``."""
        return registry.move_out(self.db, self.outbox, caller, data)

    @endpoint(r.ResidentList, r.Resident, many=True, readonly=True)
    def list_residents(self, caller, data):
        """A page of the unit's residents on day ``on`` (default today), phones masked."""
        return registry.list_residents(self.db, caller, data)

    # -- workbook ---------------------------------------------------------------------
    @endpoint(r.ImportStart, r.ImportJob)
    def start_import(self, caller, data):
        """Check an .xlsx (≤ 10 MB, base64) and start importing it into the compound in the
        background. Returns the running job; poll ``get_import``."""
        job, content = workbook.start_import(self.db, caller, data)
        # The import thread must find the job row: start it once ``@endpoint`` committed.
        after_commit(self.db, lambda: self.import_workers(job.id, content, caller, self.outbox))
        return workbook.job_view(job)

    @endpoint(r.ImportRef, r.ImportJob)
    def get_import(self, caller, data):
        """An import's status, progress, counts and row errors (row number and reason)."""
        return workbook.get_import(self.db, caller, data)

    @endpoint(r.ImportList, r.ImportSummary, many=True, readonly=True)
    def list_imports(self, caller, data):
        """A page of the compound's past imports, newest first, with their counts and who
        started them (row errors: ``get_import``)."""
        return import_history.list_imports(self.db, caller, data)

    @endpoint(r.TemplateQuery, r.WorkbookFile, readonly=True)
    def import_template(self, caller, data):
        """The empty import workbook (base64 .xlsx) with its 说明 sheet."""
        return workbook.import_template(self.db, caller, data)

    @endpoint(r.WorkbookExportQuery, r.WorkbookFile)
    def export_workbook(self, caller, data):
        """The compound in the import layout (base64 .xlsx), ID numbers and phones unmasked:
        for city/street admins and community workers in scope; audited."""
        return workbook.export_workbook(self.db, caller, data)
