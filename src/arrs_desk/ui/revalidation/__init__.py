"""The revalidation page and its dialogs (issue 19)."""
