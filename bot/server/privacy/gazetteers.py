"""Word lists for messages typed in lower case, where the NER model is weak.

People often write "im sarah from tulsa". The English model finds names and
places mostly by their capital letters, so these lists name common first
names, US states, Canadian provinces, countries and large cities. They hold
only words that are rarely anything else: first names such as "Will",
"Hope" or "Molly" and places such as "Mobile" are left out.
"""

from __future__ import annotations

FIRST_NAMES: frozenset[str] = frozenset(
    """
    aaron abby abdul abigail adam adrian adriana ahmed aidan aisha alan albert
    alejandro alex alexa alexander alexandra alexis ali alice alicia alison
    allison alyssa amanda amelia amir amy ana andre andrea andrew andy angela
    angelica anita ann anna anne annie anthony antonio ari arjun ashley austin
    ava barbara beatriz ben benjamin bernard beth bethany betty beverly bianca
    blake bob bobby brad bradley brandon brenda brian brianna brittany brooke
    bryan caitlin caleb cameron camila carl carla carlos carmen carol caroline
    carolyn casey catherine cathy charles charlie charlotte chelsea cheryl chloe
    chris christian christina christine christopher cindy claire clara
    claudia colin connor courtney craig crystal cynthia daniel daniela danielle
    danny darius darnell dave david deborah debra denise dennis derek devin
    diana diane diego dimitri dominic donald donna doris dorothy douglas dylan
    eduardo edward eileen elena elijah elizabeth ella ellen emily emma eric
    erica erik erin ethan eva evan evelyn farah fatima felix fernando fiona
    francisco gabriel gabriela gabriella gary george gerald gina gloria gregory
    hailey haley hannah harold harry hassan heather helen henry hector hiroshi
    hugo ian ibrahim igor imani isaac isabel isabella isaiah ivan jacob jacqueline
    jake jamal james jamie jan jane janet janice jared jasmine jason javier
    jeff jeffrey jenna jennifer jenny jeremy jerry jesse jessica jesus jill
    jim jimmy joan joanna joe joel john johnny jon jonathan jorge jose joseph
    josh joshua juan judith judy julia julian julie justin kaitlyn kamala
    karen karim kate katherine kathleen kathryn kathy katie kayla keisha keith
    kelly kenneth kevin kim kimberly kristen kyle latoya laura lauren leah leo
    leonardo liam lily linda lindsay lisa logan lorena lori louis lucas lucia
    luis luke lydia madison maria mariana marie marisol marcus margaret maria
    marilyn mario marissa martha martin mary mason matt matthew maya megan
    melissa mia michael michelle miguel mike miriam mohammed mohammad monica
    muhammad naomi natalie nathan nicholas nicole nina noah nora oliver olivia
    omar oscar pablo pamela patricia patrick paul paula peter philip priya
    rachel rafael rahul raj ramon randy raquel rebecca regina ricardo richard
    rick ricky rita robert roberto robin rodrigo ronald rosa ruth ryan samantha
    samuel sandra sara sarah scott sean sergio shannon sharon shawn sheila
    shirley sofia sophia sophie stacy stephanie stephen steve steven susan
    tamara tanya tara teresa terry thomas tiffany timothy tina todd tom tommy
    tony tracy travis trevor tyler valerie vanessa veronica victor victoria
    vincent walter wanda wendy william xavier yasmin yolanda yusuf zachary
    zoe
    """.split()
)

US_STATES: frozenset[str] = frozenset(
    """
    alabama alaska arizona arkansas california colorado connecticut delaware
    florida georgia hawaii idaho illinois indiana iowa kansas kentucky
    louisiana maine maryland massachusetts michigan minnesota mississippi
    missouri montana nebraska nevada ohio oklahoma oregon pennsylvania tennessee
    texas utah vermont virginia washington wisconsin wyoming
    """.split()
) | {
    "new hampshire",
    "new jersey",
    "new mexico",
    "new york",
    "north carolina",
    "north dakota",
    "rhode island",
    "south carolina",
    "south dakota",
    "west virginia",
    "puerto rico",
}

# Two-letter codes, recognised only right after a place ("Austin, TX").
STATE_CODES: frozenset[str] = frozenset(
    """
    al ak az ar ca co ct de fl ga hi id il in ia ks ky la me md ma mi mn ms mo
    mt ne nv nh nj nm ny nc nd oh ok or pa ri sc sd tn tx ut vt va wa wv wi wy
    dc pr ab bc mb nb nl ns on pe qc sk
    """.split()
)

PROVINCES_AND_REGIONS: frozenset[str] = frozenset(
    """
    alberta manitoba ontario quebec saskatchewan yukon england scotland wales
    """.split()
) | {"british columbia", "nova scotia", "new brunswick", "northern ireland"}

COUNTRIES: frozenset[str] = frozenset(
    """
    afghanistan albania algeria argentina armenia australia austria azerbaijan
    bangladesh belarus belgium bolivia bosnia brazil bulgaria cambodia cameroon
    canada colombia croatia cuba cyprus czechia denmark ecuador egypt england
    eritrea estonia ethiopia finland france germany ghana greece guatemala
    haiti honduras hungary iceland india indonesia iran iraq ireland israel
    italy jamaica japan kazakhstan kenya korea kosovo kuwait laos latvia
    lebanon liberia libya lithuania luxembourg malaysia mali mexico moldova
    mongolia morocco mozambique myanmar nepal netherlands nicaragua nigeria
    norway pakistan palestine panama paraguay peru philippines poland portugal
    qatar romania russia rwanda serbia singapore slovakia slovenia somalia
    spain sudan sweden switzerland syria taiwan tanzania thailand tunisia
    uganda ukraine uruguay uzbekistan venezuela vietnam yemen zambia zimbabwe
    """.split()
) | {
    "south africa",
    "south korea",
    "north korea",
    "new zealand",
    "sri lanka",
    "el salvador",
    "costa rica",
    "dominican republic",
    "saudi arabia",
    "united states",
    "united kingdom",
    "great britain",
}

CITIES: frozenset[str] = frozenset(
    """
    chicago boston houston philadelphia dallas denver seattle portland atlanta
    miami detroit baltimore memphis nashville tulsa tucson fresno sacramento
    oakland albuquerque spokane tacoma omaha minneapolis milwaukee cleveland
    cincinnati pittsburgh tampa jacksonville raleigh louisville indianapolis
    anchorage honolulu boise brooklyn bronx manhattan harlem aurora phoenix
    scottsdale tempe mesa anaheim bakersfield stockton riverside pasadena
    berkeley cambridge somerville worcester providence
    hartford albany syracuse rochester newark hoboken charleston savannah
    knoxville chattanooga birmingham montgomery lubbock amarillo tallahassee
    gainesville fayetteville norfolk wichita lexington toledo akron dayton
    madison reno eugene durham greensboro
    toronto vancouver montreal ottawa calgary edmonton winnipeg halifax
    london manchester leeds liverpool bristol glasgow edinburgh dublin belfast
    sydney melbourne brisbane perth adelaide auckland wellington paris berlin
    munich hamburg amsterdam rotterdam brussels madrid barcelona lisbon rome
    milan vienna prague warsaw budapest stockholm oslo copenhagen helsinki
    zurich geneva athens istanbul moscow kyiv cairo nairobi lagos johannesburg
    mumbai delhi bangalore karachi lahore dhaka tokyo osaka seoul beijing
    shanghai manila jakarta bangkok hanoi singapore dubai tehran baghdad
    kabul jerusalem mexico bogota lima santiago
    """.split()
) | {
    "new york",
    "new york city",
    "los angeles",
    "san diego",
    "san francisco",
    "san jose",
    "san antonio",
    "el paso",
    "fort worth",
    "las vegas",
    "new orleans",
    "salt lake city",
    "kansas city",
    "oklahoma city",
    "st louis",
    "st. louis",
    "st paul",
    "long beach",
    "virginia beach",
    "colorado springs",
    "palo alto",
    "santa monica",
    "santa fe",
    "ann arbor",
    "tel aviv",
    "hong kong",
    "mexico city",
    "buenos aires",
    "rio de janeiro",
    "sao paulo",
    "cape town",
}

PLACES: frozenset[str] = US_STATES | PROVINCES_AND_REGIONS | COUNTRIES | CITIES
