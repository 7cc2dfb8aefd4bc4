"""spplus gateway: the one public door in front of every service (ARCHITECTURE.md sections 4-5)."""
