"""Letter building: recipient routing, context, HTML, PDF. No Flask imports."""
