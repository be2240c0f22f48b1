"""Every event deliberation emits (``deliberation.<entity>.<verb>``) with its payload schema."""
from fazhi_deliberation_contract.schemas import EVENTS as _BY_TYPE

# Full names, as they travel: "deliberation.note.created" -> NoteCreatedEvent.
EVENTS = {(name if name.startswith("deliberation.") else f"deliberation.{name}"): schema
          for name, schema in _BY_TYPE.items()}
