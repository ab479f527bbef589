"""Programmes (preceptorship, fellowships, training pathways): lists, enrolment, timeline and editor."""
