"""Every setting the gateway reads (the compose test checks they are all passed)."""
from fazhi_shared.config import COMMON_SETTINGS, Setting, database_setting, signing_key_setting

DATABASE_URL = database_setting("gateway")
# The one key that signs user and anonymous caller contexts (and the gateway's own calls).
SIGNING_KEY = signing_key_setting("gateway")
JWT_SECRET = Setting("GATEWAY_JWT_SECRET", "dev-jwt-secret-change-me-0123456789abcdef",
                     secret=True, doc="HS256 key of access and refresh tokens")
ACCESS_TTL = Setting("GATEWAY_ACCESS_TTL", 900, int, doc="access token lifetime, seconds")
REFRESH_TTL = Setting("GATEWAY_REFRESH_TTL", 7 * 24 * 3600, int,
                      doc="refresh token lifetime, seconds")
REFRESH_GRACE = Setting(
    "GATEWAY_REFRESH_GRACE", 20, int,
    doc="seconds a just-replaced refresh token may be used once more (a second browser "
        "tab refreshing at the same moment); any other reuse of a spent one ends the session")
TRUSTED_PROXIES = Setting(
    "GATEWAY_TRUSTED_PROXIES", 0, int,
    doc="how many proxies (ingress, load balancer) in front of the gateway append to "
        "X-Forwarded-For: the client address is that many entries from its end; 0 = the "
        "socket's address (the header is ignored)")
LOGIN_FREE_FAILURES = Setting(
    "GATEWAY_LOGIN_FREE_FAILURES", 5, int,
    doc="failed sign-ins of one account before each further one costs a growing delay")
LOGIN_FREE_FAILURES_PER_ADDRESS = Setting(
    "GATEWAY_LOGIN_FREE_FAILURES_PER_ADDRESS", 50, int,
    doc="failed sign-ins from one client address (any accounts) before each further one "
        "costs a growing delay; correct sign-ins never count")
WEB_DIR = Setting(
    "GATEWAY_WEB_DIR", "",
    doc="the built web clients (npm run build in web/): the console served at /, the phone "
        "pages at /h5/; empty: the repository's web/dist")
BIND = Setting("GATEWAY_BIND", "127.0.0.1:8000", doc="host:port gunicorn listens on")
WORKERS = Setting("GATEWAY_WORKERS", 2, int, doc="gunicorn worker processes")
THREADS = Setting("GATEWAY_THREADS", 4, int, doc="threads per worker (one RPC client each)")

SETTINGS = COMMON_SETTINGS + [DATABASE_URL, JWT_SECRET, SIGNING_KEY, ACCESS_TTL, REFRESH_TTL, BIND,
                              WORKERS, THREADS, REFRESH_GRACE, TRUSTED_PROXIES,
                              LOGIN_FREE_FAILURES, LOGIN_FREE_FAILURES_PER_ADDRESS, WEB_DIR]
