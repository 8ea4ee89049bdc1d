"""Organizers: accounts and grants, the dashboard, exports and the delivery pack."""
