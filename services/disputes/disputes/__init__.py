"""The disputes service: dispute resolution (纠纷化解)."""
