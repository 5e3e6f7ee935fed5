"""Words that are never personal details in this bot's conversations.

The named-entity model often takes drug names, conditions and the names of
agencies for people, places or organisations ("Wellbutrin" as a place, "MDMA"
as an organisation). These words carry the question, so they always stay.
Matching ignores case; a detected span is trimmed of these words, and
dropped when nothing else is left.
"""

from __future__ import annotations

_DRUGS = """
mdma mda ecstasy molly xtc e midomafetamine methylenedioxymethamphetamine
psilocybin psilocin mushrooms shrooms lsd acid ketamine esketamine spravato
ayahuasca dmt ibogaine mescaline peyote cannabis marijuana weed thc cbd
alcohol nicotine cocaine meth methamphetamine amphetamine adderall ritalin
vyvanse concerta opioids opiates heroin fentanyl oxycodone suboxone methadone
naltrexone naloxone narcan
sertraline zoloft fluoxetine prozac escitalopram lexapro citalopram celexa
paroxetine paxil fluvoxamine luvox venlafaxine effexor desvenlafaxine pristiq
duloxetine cymbalta bupropion wellbutrin mirtazapine remeron trazodone
vortioxetine trintellix vilazodone viibryd amitriptyline nortriptyline
phenelzine nardil tranylcypromine parnate selegiline emsam maoi maois ssri
ssris snri snris tca tcas
lithium lamotrigine lamictal valproate depakote carbamazepine tegretol
quetiapine seroquel aripiprazole abilify olanzapine zyprexa risperidone
risperdal lurasidone latuda clozapine haloperidol
prazosin clonidine propranolol guanfacine hydroxyzine gabapentin pregabalin
alprazolam xanax clonazepam klonopin lorazepam ativan diazepam valium
benzodiazepines benzos zolpidem ambien melatonin tramadol ondansetron zofran
""".split()

_CONDITIONS = """
ptsd cptsd c-ptsd tbi ocd adhd add bpd gad mdd trauma depression anxiety
bipolar schizophrenia psychosis anorexia bulimia insomnia nightmares panic
dissociation did autism asd alcoholism addiction hypertension childhood
""".split()

_TREATMENTS = """
cbt emdr cpt dbt ifs ect tms gp pcp er icu anaesthesia anesthesia
""".split()

_TOPIC = """
therapy therapies therapist therapists psychotherapy psychedelic psychedelics
mdma-assisted psychedelic-assisted assisted session sessions dosing dose
integration preparation trial trials study studies phase clinic clinical
psychiatrist psychiatrists psychologist psychologists counselor counsellor
veteran veterans vet vets
fda dea nih nimh samhsa va vha dod tricare medicare medicaid ema tga icer
maps lykos mapp mapp1 mapp2 compass usona
army navy marines marine corps airforce guard
bot hi hello hey thanks thank street
""".split()

ALLOWED_WORDS: frozenset[str] = frozenset(_DRUGS + _CONDITIONS + _TREATMENTS + _TOPIC)

# Titles and greetings stay in front of a name: "Dr. [NAME]", "Hi [NAME]".
LEADING_WORDS: frozenset[str] = frozenset(
    """
    dr dr. doctor mr mr. mrs mrs. ms ms. miss prof prof. professor nurse
    hi hello hey dear thanks thank the my i im iam i'm
    name dob phone cell mobile email address city location town
    """.split()
)


def is_allowed(word: str) -> bool:
    """Whether a word always stays, whatever a detector says about it.

    Args:
        word: One word, in any case, possibly with a possessive "'s".

    Returns:
        True for drug names, conditions and topic words.

    """
    key = word.strip(".,;:!?()[]\"'").lower()
    if key.endswith("'s") or key.endswith("’s"):
        key = key[:-2]
    return key in ALLOWED_WORDS
