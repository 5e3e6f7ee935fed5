"""Redaction of what the Rasa server stores.

- `redactor`: finds personal details in a message and replaces them with
  placeholders such as `[NAME]` (Presidio on the pinned spaCy model, plus
  patterns and cues in `patterns` and `cues`).
- `events`: redacts Rasa events before the tracker store writes them, and
  picks out the questions the bot could not answer.
- `tracker`: the tracker store mixin that stores redacted events only.

Retention, erasure and the content team's report run from the command line:
`bot.ops.retention` and `bot.ops.report_data`.
"""
