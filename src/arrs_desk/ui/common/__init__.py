"""Widgets and helpers every page shares: one home for each, so features never import each other."""
