"""The audit trail page."""
