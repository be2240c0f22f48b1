"""``python -m org``: check settings, migrate the org database, then serve until SIGTERM."""
from fazhi_shared.service.green import monkey_patch

monkey_patch()

from fazhi_shared.service.defaults import main  # noqa: E402

from org.service import OrgService  # noqa: E402

if __name__ == "__main__":
    main(OrgService)
