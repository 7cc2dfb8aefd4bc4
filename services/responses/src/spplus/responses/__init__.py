"""spplus responses: administrations answer published experiences (ARCHITECTURE.md, section 3, step 5)."""
