"""RPC endpoints of the registry: areas, owners, dated ownership, electorate, residents,
workbook import and export. Mixed into ``OrgService``."""
from fazhi_shared.rpc import endpoint  # noqa: F401


class RegistryRpc:
    pass
