"""Anonymous check-ins: the page where staff answer the check-in statements."""
