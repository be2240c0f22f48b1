"""Statistics: counts, the three shares (numerator and denominator, never floats),
time to close, overdue counts, compounds without cases; the .xlsx reports."""
from marshmallow import fields, validate

from fazhi_shared.schemas import BaseSchema, FileRef, Id

__all__ = ["DisputeStatsQuery", "DisputeFraction", "DisputeShares", "DisputeStatsRow",
           "DisputeStats", "DisputeReportQuery", "DisputeReportFile"]

MONTH = validate.Regexp(r"^\d{4}-(0[1-9]|1[0-2])$", error="Not a month (YYYY-MM).")


class DisputeStatsQuery(BaseSchema):
    unit_id = Id(load_default=None, allow_none=True,
                 metadata={"description": "default: the caller's whole scope"})
    from_month = fields.String(required=True, validate=MONTH)
    to_month = fields.String(required=True, validate=MONTH)
    group_by = fields.String(load_default="compound",
                             validate=validate.OneOf(["compound", "community", "street"]))


class DisputeFraction(BaseSchema):
    numerator = fields.Integer()
    denominator = fields.Integer()


class DisputeShares(BaseSchema):
    in_compound = fields.Nested(DisputeFraction)
    at_or_below_street = fields.Nested(DisputeFraction)
    above_street = fields.Nested(DisputeFraction)


class DisputeStatsRow(BaseSchema):
    key = fields.String(metadata={"description": "a unit id, a month or a category"})
    name = fields.String()
    registered = fields.Integer()
    concluded = fields.Integer()
    settled = fields.Integer()
    shares = fields.Nested(DisputeShares)


class DisputeStats(BaseSchema):
    from_month = fields.String()
    to_month = fields.String()
    registered = fields.Integer()
    concluded = fields.Integer()
    settled = fields.Integer()
    failed = fields.Integer()
    passed_out = fields.Integer()
    resolution_rate = fields.Nested(DisputeFraction, metadata={"description": "settled of concluded"})
    shares = fields.Nested(DisputeShares)
    closed = fields.Integer()
    average_days_to_close = fields.Nested(DisputeFraction)
    overdue = fields.Integer(metadata={"description": "open cases past their time limit now"})
    by_category = fields.List(fields.Nested(DisputeStatsRow))
    by_month = fields.List(fields.Nested(DisputeStatsRow))
    by_unit = fields.List(fields.Nested(DisputeStatsRow))
    zero_case_compounds = fields.List(fields.Dict())


class DisputeReportQuery(BaseSchema):
    unit_id = Id(load_default=None, allow_none=True)
    from_month = fields.String(required=True, validate=MONTH)
    to_month = fields.String(required=True, validate=MONTH)
    report = fields.String(required=True, validate=validate.OneOf(["monthly", "ledger"]))


class DisputeReportFile(FileRef):
    pass
