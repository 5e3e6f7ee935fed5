"""Code run from the command line or `make`, outside the two bot servers.

The command line (`python -m bot.ops.cli`), the launcher with the
endpoints and credentials files it writes for the Rasa server, the widget's
demo page server, loading content into the database, retention and
erasure, the content team's report, and data-set helpers.
"""
