"""Tells Spanish messages from English ones, for the Spanish crisis reply.

Only the crisis replies have a Spanish version, so only "Spanish or not" is
needed. Common Spanish function words against common English ones is enough
for a whole message; a Spanish word or two inside English ("ayuda", "mi
familia") does not switch the reply.
"""

from __future__ import annotations

import re

_SPANISH = frozenset(
    """
    a al algo alguien aqui aquí ayuda ayudame ayúdame bien cada como cómo con
    creo cuando de del desde donde dónde el él ella ellos en entonces era es
    esa ese eso esta está estoy estar este esto fue hace hacer hay hasta ir la
    las le les lo los mas más me mejor mi mis mucho muy nada ni no nos o otra
    otro para pero poco por porque puedo que qué quiero se sé ser si sí sin
    sobre solo soy su sus también tan tengo todo todos tu tú un una uno vida
    vivir voy y ya yo puede pueden quien quién nunca siempre hoy noche casa
    morir muero matar vender vende causa daño dormir despertar tomé tomó
    """.split()
)
_ENGLISH = frozenset(
    """
    a about all am an and any are as at be because been but by can could did
    do does don't for from get got have he her him his how i i'm if in is it
    it's just know like me my no not of on or out so some that the them then
    there they this to up want was we what when which who why will with would
    you your
    """.split()
)
# Words both lists share say nothing about the language.
_SHARED = _SPANISH & _ENGLISH
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)


def is_spanish(text: str) -> bool:
    """Whether a message is written mostly in Spanish."""
    words = [word.lower() for word in _WORD.findall(text)]
    spanish = sum(word in _SPANISH and word not in _SHARED for word in words)
    english = sum(word in _ENGLISH and word not in _SHARED for word in words)
    return spanish >= 2 and spanish > english
