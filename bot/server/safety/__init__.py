"""Recognising safety messages in the Rasa server.

Crisis patterns and the spaCy matcher, the learned risk model, the router's
tiers and Spanish detection, used by `bot.server.nlu.safety_router`. The
route names are shared with the action server: `bot.safety_routes`.
"""
