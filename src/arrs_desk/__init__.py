"""ARRS Desk: induction, supervision, preceptorship and appraisal records for ARRS staff."""

__version__ = "0.1.0"
APP_NAME = "ARRS Desk"
ORG_NAME = "ARRS Desk"
