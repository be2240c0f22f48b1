"""Every event disputes emits (``disputes.<entity>.<verb>``) with its payload schema."""
from fazhi_disputes_contract.schemas import EVENTS as _BY_TYPE

# Full names, as they travel: "disputes.note.created" -> NoteCreatedEvent.
EVENTS = {(name if name.startswith("disputes.") else f"disputes.{name}"): schema
          for name, schema in _BY_TYPE.items()}
