"""Safety routes: recognising crisis and other messages that never get FAQ content."""
