"""Records retention (issue 20 item 2): the administrators' page; see `page.py`."""
