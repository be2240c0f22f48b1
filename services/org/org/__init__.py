"""The org service: street → community → compound → building → unit, people, accounts
and grants (see ``services/org/README.md``)."""
