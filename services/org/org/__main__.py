"""``python -m org``: migrate the org database, then serve until SIGTERM."""
import warnings

warnings.filterwarnings("ignore", message="\nEventlet is deprecated")  # frozen upstream; see ARCHITECTURE.md

import eventlet  # noqa: E402

eventlet.monkey_patch()

import os  # noqa: E402

from fazhi_shared.runner import serve  # noqa: E402

from org.config import DATABASE_URL  # noqa: E402
from org.service import OrgService  # noqa: E402

MIGRATIONS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                          "migrations")

if __name__ == "__main__":
    serve(OrgService, MIGRATIONS, DATABASE_URL)
