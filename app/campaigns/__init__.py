"""Public campaign pages and the sign form."""
