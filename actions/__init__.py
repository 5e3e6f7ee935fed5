"""Custom actions for the Rasa action server; thin wrappers around `bot`."""
