"""Statutory and mandatory training (the Core Skills Training Framework's subjects): the matrix,
each person's completions, the import from a learning system and the exports."""

from arrs_desk.services.training.service import TrainingService
from arrs_desk.services.training.views import (
    Compliance, MatrixRow, PersonTraining, SubjectColumn, TrainingImportResult, TrainingInput, TrainingMatrix,
    TrainingRecordRow,
)

__all__ = ["Compliance", "MatrixRow", "PersonTraining", "SubjectColumn", "TrainingImportResult", "TrainingInput",
           "TrainingMatrix", "TrainingRecordRow", "TrainingService"]
