"""The Data security (DSPT) page: the evidence report, the restore test and the access review."""
