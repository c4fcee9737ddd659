"""Logging, metrics and error reporting; imported at the end of base.py."""
