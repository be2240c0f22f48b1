"""``python -m deliberation``: check settings, migrate its database, then serve until SIGTERM."""
from fazhi_shared.service.green import monkey_patch

monkey_patch()

from fazhi_shared.service.defaults import main  # noqa: E402

from deliberation.service import DeliberationService  # noqa: E402

if __name__ == "__main__":
    main(DeliberationService)
