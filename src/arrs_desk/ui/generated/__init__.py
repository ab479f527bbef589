"""Python compiled from forms/*.ui by scripts/compile_forms.py. Do not edit by hand."""
