"""What both benchmarks share: ending what they started."""
from __future__ import annotations

import shutil
import subprocess

from fazhi_shared.service.db import drop_database
from fazhi_shared.service.testing import delete_vhost


def tear_down(procs, database_urls, vhost: str, file_store: str) -> None:
    """Stop the processes (killed after 15 s), drop the databases, delete the vhost and
    the file store — whatever state the run ended in."""
    for p in procs:
        p.terminate()
    for p in procs:
        try:
            p.wait(15)
        except subprocess.TimeoutExpired:
            p.kill()
    for url in database_urls:
        try:
            drop_database(url)
        except Exception:   # already gone, or the server is down: nothing to keep
            pass
    delete_vhost(vhost)
    shutil.rmtree(file_store, ignore_errors=True)
