"""Contract of the organisation area (see org/api_organisation.py)."""
from marshmallow import fields, validate  # noqa: F401

from fazhi_shared.schemas import BaseSchema, Id, PageInput  # noqa: F401

EVENTS: dict = {}
