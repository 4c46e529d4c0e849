"""Reports laid out unlike the seed, written for the tests in the shapes that real UN and NGO
reports take (issue 16): a Special Rapporteur's report, a bare list of numbered
recommendations, and a report whose conclusions come before its recommendations."""

SPECIAL_RAPPORTEUR = """\
A/HRC/50/31
General Assembly
Distr.: General
12 May 2022

Report of the Special Rapporteur on the human rights of migrants on pushback practices

I. Introduction

1. The present report is submitted to the Human Rights Council pursuant to its resolution 43/6.
2. In preparing it, the Special Rapporteur consulted States, civil society organizations and
migrants themselves.

II. Pushbacks at land and sea borders

3. Pushbacks are widespread at land and sea borders in several regions.

III. Conclusions and recommendations

A. Conclusions

4. The Special Rapporteur concludes that pushbacks violate the prohibition of collective
expulsion.
5. Impunity for violence at borders remains the rule rather than the exception.

B. Recommendations

6. States are urged to: (a) Establish in domestic law a prohibition of pushbacks at every border;
(b) Release all children from immigration detention and end detention of families; (c) Ensure
that every migrant has proof of legal identity and documentation.
7. The Special Rapporteur recommends that States:
(a) Set up independent border monitoring mechanisms with access to all border areas;
(b) Investigate smuggling networks without criminalizing smuggled migrants;
(c) Cooperate in search and rescue to save lives and identify missing migrants.
"""

NUMBERED_ONLY = """\
Civil society forum on migrant workers in South-East Asia
3 June 2021, Bangkok, in person

1. Governments should end the charging of recruitment fees to migrant workers and enforce
decent work standards.
2. States should end immigration detention of children and develop alternatives to detention.
3. Remittance transfer costs should be reduced and the financial inclusion of migrants promoted.
4. Migrant workers should have access to health care and education regardless of status.
"""

CONCLUSIONS_FIRST = """\
Subregional consultation on migration in the Pacific
8 September 2021 (virtual)

I. Background

1. The consultation brought together 40 participants from 12 countries.

Conclusions

2. Participants concluded that climate change was a growing driver of displacement.
3. They observed that data on migration in the Pacific remained scarce.

Recommendations on GCM Objective 2

4. Governments should integrate climate mobility in national adaptation plans.
• Regional organizations should support planned relocation with communities' consent.
• Donors should fund community-led adaptation.
5. Research on climate-related displacement should be funded and shared.
"""

# The same report with items and a numbered list in its conclusions: none of them is imported,
# and each is listed with why.
CONCLUSIONS_WITH_ITEMS = CONCLUSIONS_FIRST.replace(
    """\
2. Participants concluded that climate change was a growing driver of displacement.
3. They observed that data on migration in the Pacific remained scarce.
""",
    """\
2. Participants concluded that climate change was a growing driver of displacement in:
• low-lying atolls;
• coastal cities.
3. They observed that: (a) data on migration in the Pacific remained scarce; (b) few countries
had plans for relocation. The countries with plans were:
1. Fiji;
2. Vanuatu.
""",
)
