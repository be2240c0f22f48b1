"""``python -m org``: migrate the org database, then serve until SIGTERM."""
from fazhi_shared.green import monkey_patch

monkey_patch()

import os  # noqa: E402

from fazhi_shared.runner import serve  # noqa: E402

from org.config import DATABASE_URL  # noqa: E402
from org.service import OrgService  # noqa: E402

MIGRATIONS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                          "migrations")

if __name__ == "__main__":
    serve(OrgService, MIGRATIONS, DATABASE_URL)
