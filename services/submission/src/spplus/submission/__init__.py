"""spplus submission service: the citizen's journey from the form to the experience.submitted event."""
