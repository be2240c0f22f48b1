"""Every event legal emits (``legal.<entity>.<verb>``) with its payload schema."""
from fazhi_legal_contract.schemas import EVENTS as _BY_TYPE

# Full names, as they travel: "legal.consultation.escalated" -> ConsultationEscalated.
EVENTS = {(name if name.startswith("legal.") else f"legal.{name}"): schema
          for name, schema in _BY_TYPE.items()}
