"""Privacy of what the bot stores: redaction, retention, erasure and reports.

- `redactor`: finds personal details in a message and replaces them with
  placeholders such as `[NAME]` (Presidio on the pinned spaCy model, plus
  patterns and cues in `patterns` and `cues`).
- `events`: redacts Rasa events before the tracker store writes them, and
  picks out the questions the bot could not answer.
- `retention`: deletes old conversations and everything stored for a sender.
- `report_data`, `report_charts`, `report_html`: the content team's report.
"""
