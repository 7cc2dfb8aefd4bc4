"""spplus moderation: cases, findings, decisions, the author approval, the audit trail."""
