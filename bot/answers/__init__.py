"""Code the action server runs: the server itself and what the actions call.

The thin rasa-sdk actions in `actions/` find answers, follow-ups and the
crisis reminder here. Nothing here imports the Rasa server's code
(`bot.server`) or the operations code (`bot.ops`).
"""
