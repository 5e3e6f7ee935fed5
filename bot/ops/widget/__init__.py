"""The web chat widget: its static files and the server of its demo page."""
