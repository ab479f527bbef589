"""Subject access copies from the window: one's own, or anyone's for an administrator."""
