"""Contract of the registry area (see org/api_registry.py)."""
from marshmallow import fields, validate  # noqa: F401

from fazhi_shared.schemas import BaseSchema, Id, PageInput  # noqa: F401

EVENTS: dict = {}
