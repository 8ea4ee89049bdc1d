"""Mail leaves through an outbox: written with the change that causes it,
sent afterwards, retried on failure."""
