"""Code the Rasa server runs: NLU components, channels, stores.

Rasa loads these by class path: `config.yml` names the NLU components
(`bot.server.nlu`), `endpoints.yml` the tracker and lock stores, and
`credentials.yml` the channels. Nothing here imports the action server's
code (`bot.answers`) or the operations code (`bot.ops`); what both servers
need sits directly under `bot`.
"""
