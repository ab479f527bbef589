"""The Training page: statutory and mandatory training, people by subjects, with compliance."""
