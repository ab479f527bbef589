"""PDF documents. Builders take plain data (dataclasses, strings, dates), never a session."""
