"""spplus chassis: the plumbing every spplus service shares, written once.

Modules, in the order a request or an event meets them:
settings, logs, web (app factory, errors, health, metrics), csrf, auth, db,
events (envelope and contracts), outbox (record + relay), consumer (inbox,
retries, DLQ), worker, cli, launcher, testing (pytest plugin).
"""
