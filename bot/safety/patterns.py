"""Phrases that put a message on a safety route, written for people to read.

Each pattern is a sequence of word slots separated by spaces:
    word            the canonical word (a lemma, with slang and typos fixed)
    a|b|c           any of these words
    word?           the word may be missing
    ~               up to three words of anything
    SELF, POSS      myself|himself|..., my|his|... (see below)
Matching is on canonical words (see `bot.safety.matcher`), so "killing",
"kiling" and "kill" are all `kill`, and "wanna" is `want`.

Crisis patterns aim at recall: a false alarm shows crisis lines to someone
who did not need them; a miss can cost a life.
"""

from __future__ import annotations

CRISIS_PATTERNS: tuple[str, ...] = (
    # Naming it.
    "suicide|suicidal|suicidality|kms|kys|unalive|unalived|unaliving|selfharm",
    "self -? harm|harming|harmed",
    "22 a day",
    # Harming oneself, said of oneself or of someone else.
    "kill|killing|kills|hurt|hurting|harm|harming|cut|cutting|hang|hanging|shoot|"
    "shooting|stab|stabbing|drown|drowning|poison|poisoning|starve|starving|burn|"
    "burning|off|offing SELF",
    "cut|cutting|slit|slice again",
    "cut|cutting|slit|slice POSS arm|arms|wrist|wrists|leg|legs|skin|throat",
    "eat|eating POSS gun|pistol|rifle|weapon",
    "gun|pistol|rifle|weapon|barrel to|in POSS head|mouth|lap",
    "jump|jumping off|from a|the? bridge|building|roof|cliff|ledge",
    "stand|stood|standing on a|the bridge|ledge|edge|roof",
    "in front of a|the train|truck|bus|car",
    "drive|driving|crash my|the car|truck into a|the wall|tree|pole",
    "overdose|od|overdosing on purpose",
    "swallow|swallowing|take|taking all ~ pill|pills|med|meds",
    "stockpile|stockpiling|hoard|hoarding|saving|save ~ pill|pills|med|meds",
    "pill|pills line|lined up",
    "rope ready",
    "have|got a|the rope",
    "a plan and the mean|means",
    "have|got|make|made a plan to end|kill|die",
    # Wanting to die, or not to live.
    "want|wants|wanted|wish|ready|plan|deserve|decide|decided|try|like to? die",
    "way|ways|method|methods to die|kill",
    "want|wish to? be dead",
    "wish i ~ dead|die|died",
    "should have die|died|dead",
    "better|well off dead|without",
    "better|well|easier|happier ~ without me|i",
    "nobody|one would miss me|i",
    "if i be|was|were gone|dead",
    "if i disappear|disappeared",
    "end|ending|take|taking POSS own? life",
    "end|ending POSS suffering|misery",
    "suffering|pain|misery for good",
    "suffering|pain|misery forever",
    "pain|suffering|misery ~ stop|end forever",
    "reason to live|living",
    "reason to stay|be alive|here",
    "not wake|waking up tomorrow|tmrw|again",
    "sleep and not|never wake|waking",
    "end|ending it all|tonight|now|today|soon",
    "end|ending everything|things|thing",
    "want|going|ready|plan|decide|try|gonna|about to end|ending it|this",
    "not want to? live|exist|wake",
    "not want to? be alive|here|around",
    "not want to? go on",
    "stop|stopped exist|existing",
    "not exist anymore",
    "not plan on be|being here|around|alive",
    "not think i ~ be around|here|alive",
    "no|not reason|point to|in|of live|living|life|go|stay|be",
    "point of|in live|living|life|going",
    "nothing to live for",
    "not worth live|living|it",
    "tired|sick of live|living|life|exist|existing",
    "tired|sick of be|being alive|here",
    "can|could not go on",
    "not go on anymore|like this",
    "give|giving up on life|living|everything",
    "never wake|waking up",
    "to not wake|waking up",
    "sleep forever",
    "disappear|disappeared forever",
    "disappear|disappeared for good",
    "check|checking out permanently|forever",
    "it all to stop|end",
    "goodbye note|letter|text|message",
    "suicide|goodbye note",
    "goodbye to everyone|everybody",
    "not be around|here tomorrow",
    "be|feel|m ~ a|such burden",
    "only thing ~ stop|stopping|keep|keeping me",
    "give|giving away ~ stuff|things|belongings|thing|belonging",
    "tonight be|is|'s the night",
)

# Words a pattern may write as SELF (oneself or someone else) and as POSS
# (whose): crisis said of oneself, or reported about a friend or partner.
SELF_WORDS = "myself|himself|herself|themselves|themself|yourself|ourselves"
POSS_WORDS = "my|his|her|their|your|our"

# Spellings and slang that the canonical form fixes before matching.
CANONICAL_SPELLINGS: dict[str, str] = {
    "wanna": "want",
    "wana": "want",
    "wnt": "want",
    "gonna": "going",
    "gon": "going",
    "na": "to",
    "kil": "kill",
    "kll": "kill",
    "ded": "dead",
    "myslef": "myself",
    "mysef": "myself",
    "meself": "myself",
    "myelf": "myself",
    "mself": "myself",
    "nt": "not",
    "n't": "not",
    "my self": "myself",
    "od'ing": "od",
    "oding": "od",
    "unalived": "unalive",
    "unaliving": "unalive",
    "pils": "pill",
    "lif": "life",
    "anymor": "anymore",
}

# Words that the fuzzy fix may correct a typo to, with their canonical form.
# Only words of five or more letters are fuzzily corrected, so short common
# words ("did", "like") are never turned into these.
FUZZY_TARGETS: dict[str, str] = {
    "suicide": "suicide",
    "suicidal": "suicidal",
    "myself": "myself",
    "killing": "kill",
    "overdose": "overdose",
    "overdosing": "overdose",
    "anymore": "anymore",
    "unalive": "unalive",
    "everything": "everything",
    "without": "without",
    "cutting": "cut",
    "living": "living",
    "forever": "forever",
    "purpose": "purpose",
    "goodbye": "goodbye",
    "everyone": "everyone",
}
