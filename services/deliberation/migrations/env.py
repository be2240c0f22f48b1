from fazhi_shared.service.migrations import run_env

from deliberation.models import Base

run_env(Base.metadata)
