"""Rasa input channels: REST with checked input, the web widget, Slack.

Rasa imports each channel by the class path in credentials.yml; the
launcher writes that file (`bot.ops.credentials`).
"""
