"""Plain data models: locations, findings, the standards format and audit records."""
