"""Every event org emits (``org.<entity>.<verb>``) with its payload schema."""
from fazhi_org_contract.schemas import EVENTS as _BY_TYPE

# Full names, as they travel: "org.unit.created" -> UnitCreatedEvent.
EVENTS = {(name if name.startswith("org.") else f"org.{name}"): schema
          for name, schema in _BY_TYPE.items()}
