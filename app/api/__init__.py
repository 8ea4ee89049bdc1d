"""Public JSON: counts only, never anything about a signer."""
