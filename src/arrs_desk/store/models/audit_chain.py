"""The head of the audit trail's hash chain: one row, the last link written.

Kept apart from the entries so that emptying the audit table (a TRUNCATE, a DELETE with the
triggers dropped) still shows: the head says how many links there should be. On PostgreSQL a
writer takes this row `FOR UPDATE` before it links new entries, so two PCs writing at once
queue here and the chain stays one line (SQLite's write lock does the same).
"""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class AuditChainHead(SQLModel, table=True):
    __tablename__ = "audit_chain_head"

    id: int = Field(default=1, primary_key=True)
    seq: int = Field(default=0)
    entry_hash: str = Field(default="", max_length=64)
