"""Signing rules: create, dedupe, confirm, withdraw, invalidate, counts."""
