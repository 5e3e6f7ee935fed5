"""Phrases that put a message on a safety route, written for people to read.

Each pattern is a sequence of word slots separated by spaces:
    word            the canonical word (a lemma, with slang and typos fixed)
    a|b|c           any of these words
    word?           the word may be missing
    ~               up to three words of anything
    SELF, POSS      myself|himself|..., my|his|... (see below)
Matching is on canonical words (see `bot.server.safety.matcher`), so "killing",
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
    # Thinking through how: a plan, without naming it.
    "think|thinking|thought about|of how i would? do it",
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
    "hart": "heart",
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


# Other safety routes. Each rule is a tuple of patterns that must ALL occur
# somewhere in the message; a pattern starting with "NOT " must not occur.
# Within a pattern, " || " separates alternative patterns.
# These only override an FAQ, fallback, out-of-scope or small-talk
# prediction; when the classifier already chose a safety route it stands.
# Words used by several rules:
DRUG = (
    "mdma|molly|mollies|ecstasy|ecstacy|extasy|xtc|mandy|e|pill|pills|tab|tabs|"
    "roll|rolls"
)
PERSON = (
    "i|me|my|myself|we|us|our|he|she|his|her|him|they|wife|husband|partner|"
    "dad|mom|mum|father|mother|son|daughter|brother|sister|boyfriend|girlfriend|"
    "friend|buddy|roommate|someone"
)
MEDICINES = (
    "ssri|ssris|snri|snris|sertraline|zoloft|lexapro|escitalopram|prozac|"
    "fluoxetine|paxil|paroxetine|celexa|citalopram|effexor|venlafaxine|cymbalta|"
    "duloxetine|wellbutrin|bupropion|trazodone|mirtazapine|seroquel|quetiapine|"
    "abilify|aripiprazole|risperidone|lithium|lamotrigine|lamictal|depakote|"
    "benzo|benzos|xanax|klonopin|ativan|valium|propranolol|metoprolol|atenolol|"
    "lisinopril|amlodipine|gabapentin|pregabalin|lyrica|triptan|triptans|"
    "sumatriptan|testosterone|estrogen|hrt|maoi|maois|adderall|ritalin|vyvanse|"
    "methadone|suboxone|naltrexone|tramadol|antidepressant|antidepressants|"
    "antipsychotic|antipsychotics|meds|medication|medications|insulin|thinner|thinners"
)
NOW_PERSON = (
    "i|im|my|he|she|his|her|friend|buddy|roommate|boyfriend|girlfriend|husband|"
    "wife|son|daughter|brother|sister|we"
)
CONDITIONS = (
    "afib|arrhythmia|murmur|aneurysm|hypertension|epilepsy|epileptic|pregnant|"
    "pregnancy|nursing|breastfeeding|hepatitis|hep|liver|kidney|kidneys|diabetes|"
    "diabetic|bipolar|schizophrenia|schizophrenic|psychosis|psychotic|borderline|"
    "bpd|glaucoma|migraine|migraines|stroke|valve|cardiac"
)

FIREARM = "gun|guns|pistol|rifle|weapon|weapons|firearm|firearms|revolver|glock"

ROUTE_RULES: dict[str, tuple[tuple[str, ...], ...]] = {
    # Crisis signs that need two things together (single phrases are in
    # CRISIS_PATTERNS): a firearm with goodbye or giving-up language.
    "crisis": (
        (
            FIREARM,
            "ready to go || all night || goodbye || tired of || done with || "
            "not need ~ anymore || in POSS lap || can not take",
        ),
    ),
    "medical_emergency": (
        ("not|stop|stopped breathing || can not breathe || cant|cannot breathe",),
        ("barely breathing || lip|lips ~ blue || turn|turning blue",),
        (
            "seizure|seizures|seizing|convulse|convulsing|convulsion|fitting "
            "|| have|having a fit",
            "NOT history || had a? seizure|seizures before",
        ),
        ("overheat|overheating|overheated|heatstroke || heat stroke || burning up",),
        ("chest pain|pains|hurt|hurts|tight|tightness || heart attack",),
        ("pass|passed out || unconscious|unresponsive|collapse|collapsed",),
        ("out cold || not responding",),
        ("not|wont wake|waking up || not make|making sense || hit POSS head",),
        (
            "overdose|overdosed|od|oded",
            "i|he|she|friend|roommate|buddy|someone|partner|we",
        ),
        ("took|take|taking|had ~ too much|many",),
        ("call 911 || ambulance",),
        (
            "twitch|twitching|shake|shaking|vomit|vomiting|confused|hallucinate|"
            "hallucinating|drowsy|stiff|clammy|spinning|dizzy || throw|throwing up "
            "|| heart race|racing|pounding|skipping || temp|temperature|fever "
            "|| crushing pain || can not|cant stand|talk",
            NOW_PERSON,
            "took|taking|after|rolling|popped|dropped",
        ),
    ),
    "self_dosing": (
        (
            "party|parties|festival|festivals|fest|rave|raves|club|clubbing|"
            "concert|headliner|nye|edc",
            "dose|dosage|amount|mg|milligram|milligrams|redose|booster|roll|"
            "rolling|drop|pop|take|taking|cap|caps || how much|many",
            "i|me|my|we|us|myself|tonight|weekend",
            "NOT therapy|clinic|different|difference|same|compare|version|"
            "treatment|medical|healing",
        ),
        (
            "microdose|microdosing|microdoses|candyflip|candyflipping|redose|"
            "redosing|snort|snorting|boof|boofing|parachute|parachuting",
        ),
        (
            "how much|many || what|safe|ideal amount || mg|milligram|milligrams|dose",
            "i|we|me|myself|us|timer|beginner|newbie|my|kg|kgs|lbs|pounds|guy|"
            "girl|person",
            DRUG,
            "NOT they|clinic|trial|trials|therapist|therapists|doctor|study|"
            "studies|patients|patient|participants|researchers|program|session|"
            "sessions|treatment|therapy|given|give|people|months|weeks",
        ),
        (
            DRUG + "|mg|milligram",
            "at home || by myself|ourselves || on my|our own || without a? "
            "therapist|doctor|supervision || on myself || self treat || "
            "self - treat || diy || solo",
            "NOT clinic|given|trial|study|they",
        ),
        ("mdma|molly|ecstasy alone || solo session|trip|roll|molly|mdma",),
        ("copy|replicate|recreate|mimic ~ dose|doses|protocol|trial|it",),
        (
            "molly|mdma|ecstasy|e ~ and|with|plus shrooms|lsd|acid|alcohol|weed|"
            "ketamine|coke|cocaine|booze|mushrooms|viagra",
        ),
        ("drink|drinking|smoke|smoking while rolling|high|on",),
        ("roll|rolling every|two|each weekend|weekends|week",),
        ("stronger || hit harder || last longer", DRUG, "NOT therapy|clinic"),
        ("should i crush|snort|swallow || crush|snort|boof ~ pill|pills|molly",),
        ("dose|weigh|measure ~ molly|crystal|crystals|powder|caps",),
        ("safe amount || too many|much ~ " + DRUG, "NOT therapy|treatment"),
        ("mg ~ ok|okay|safe|enough|too|for", "my|i|me", "first|1st time"),
        # Has the drug already and means to use it alone.
        (
            "get|got|have some|any",
            "on my|our own || by myself|ourselves || at home || solo || diy",
        ),
        ("how much|many " + DRUG + " do|would|will|should i|we need",),
    ),
    "sourcing": (
        (
            "buy|buying|bought|purchase|purchasing|order|ordering|score|scoring|"
            "cop|find|get|sell|sells|selling|ship|ships|shipping|mail|acquire|"
            "obtain|source ~ " + DRUG,
            "NOT therapy|treatment|trial|trials|study|studies|program|programs|"
            "clinic|session|sessions|doctor|effect|effects|visual|visuals|feel|"
            "feeling|help",
        ),
        ("buy|purchase|cop|score", DRUG, "NOT therapy|treatment|clinic"),
        ("place|where to? by|buy|get|find|cop|score", DRUG),
        ("pick some|it up", DRUG),
        (DRUG + " seller|sellers|vendor|vendors|dealer|dealers|plug|plugs",),
        ("plug|plugs", DRUG),
        ("dealer|dealers|darkweb|darknet || dark|deep web || silk road",),
        ("the plug at|in|near|around",),
        ("who|anyone|someone sell|sells|selling|deal|deals",),
        ("sneak|smuggle|slip ~ me|us|some",),
        (
            "how|can|could ~ make|synthesize|synthesise|cook|extract|produce|brew "
            "~ mdma|molly|ecstasy",
            "NOT sure|therapy|they|clinic|pure",
        ),
        ("make|making|cook|cooking molly|mdma|ecstasy at home",),
        ("recipe|precursor|precursors|safrole|sassafras", "mdma|molly|ecstasy"),
        ("price|cost ~ " + DRUG, "NOT therapy|treatment|trial|program|session"),
        ("a point|gram of molly|mdma|e",),
        ("pharmacy|pharmacist|chemist|drugstore", "mdma|molly|ecstasy"),
        ("dose|doses|pill|pills|mdma|some ~ take home || take home ~ dose|doses|pill",),
        # Getting the drug to use at home, whatever it is called.
        ("get|buy|find|obtain|source|acquire ~ " + DRUG, "home|myself|ourselves|diy"),
    ),
    "personal_medical_advice": (
        (MEDICINES, PERSON),
        ("blood pressure ~ pill|pills|meds|medication|medicine",),
        ("birth control",),
        (CONDITIONS, PERSON),
        ("heart condition|disease|problem|problems|issue|issues", PERSON),
        ("bad|weak|enlarged heart || high blood pressure",),
        (
            "right|good|suitable|safe|ok|okay|fit|recommended|work|worth ~ for "
            "me|him|her|us || someone like me || recommend it for me",
            "it|this|mdma|therapy|treatment|trial|molly",
        ),
        ("should i|he|she|we ~ stop|quit|skip|take|try|start|avoid",),
        (
            "am i eligible || am i a candidate || is my heart|body ~ strong|healthy "
            "|| strong enough || too old",
        ),
        ("would|will|does that|it|this interact|matter|clash",),
        ("weed|cannabis|marijuana|alcohol|drinking", "can i still || is that ok"),
        ("year old", PERSON),
    ),
}
