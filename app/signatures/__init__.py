"""Signing rules: create, dedupe, confirm, withdraw, counts."""
