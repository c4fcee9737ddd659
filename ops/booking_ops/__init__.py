"""Operator CLI for the booking platform (`uv run ops --help`)."""
