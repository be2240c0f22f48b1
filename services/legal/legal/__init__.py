"""The legal service: legal services (法律服务)."""
