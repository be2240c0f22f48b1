"""RPC endpoints of the organisation: Party organisations, compound bodies, micro-grids,
the "five haves". Mixed into ``OrgService``."""
from fazhi_shared.rpc import endpoint  # noqa: F401


class OrganisationRpc:
    pass
