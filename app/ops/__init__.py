"""Operations: health checks, Prometheus metrics, backups, error reporting."""
