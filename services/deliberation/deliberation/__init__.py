"""The deliberation service: owners' deliberation (民主协商)."""
