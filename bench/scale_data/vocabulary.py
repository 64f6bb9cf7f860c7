"""Words the scale-data generator draws from: regions, standards, themes and the wording of plans.

The recommendation texts follow the Inspectorate's published phrasing, so that lists
and pages filled with generated data look and wrap like the real thing.
"""

# The twelve probation regions of England and Wales: (name, short name, slug).
REGIONS = [
    ("Probation Service – North East", "North East", "north-east"),
    ("Probation Service – North West", "North West", "north-west"),
    ("Probation Service – Yorkshire and the Humber", "Yorkshire and the Humber", "yorkshire-humber"),
    ("Probation Service – Greater Manchester", "Greater Manchester", "greater-manchester"),
    ("Probation Service – East Midlands", "East Midlands", "east-midlands"),
    ("Probation Service – West Midlands", "West Midlands", "west-midlands"),
    ("Probation Service – East of England", "East of England", "east-of-england"),
    ("Probation Service – Wales", "Wales", "wales"),
    ("Probation Service – London", "London", "london"),
    ("Probation Service – Kent, Surrey and Sussex", "Kent, Surrey and Sussex", "kent-surrey-sussex"),
    ("Probation Service – South West", "South West", "south-west"),
    ("Probation Service – South Central", "South Central", "south-central"),
]

# The standards a PDU inspection rates: (domain, code, name).
STANDARDS = [
    ("Organisational delivery", "1.1", "Leadership"),
    ("Organisational delivery", "1.2", "Staff"),
    ("Organisational delivery", "1.3", "Services"),
    ("Organisational delivery", "1.4", "Information and facilities"),
    ("Court work and case supervision", "2.1", "Court work"),
    ("Court work and case supervision", "2.2", "Assessment"),
    ("Court work and case supervision", "2.3", "Planning"),
    ("Court work and case supervision", "2.4", "Implementation and delivery"),
    ("Court work and case supervision", "2.5", "Reviewing"),
]
# Points per rating towards the inspection's score (out of 3 × the number of standards).
RATING_POINTS = {"outstanding": 3, "good": 2, "requires_improvement": 1, "inadequate": 0}
RATING_WEIGHTS = {"outstanding": 6, "good": 34, "requires_improvement": 46, "inadequate": 14}

# Key questions: (standard code, section, question).
KEY_QUESTIONS = [
    (
        "2.1",
        "Court work",
        "Is the pre-sentence information and advice provided to court sufficiently analytical "
        "and personalised to the individual, supporting the court's decision-making?",
    ),
    ("2.2", "Assessment", "Does assessment focus sufficiently on engaging the person on probation?"),
    ("2.2", "Assessment", "Does assessment focus sufficiently on the factors linked to offending and desistance?"),
    ("2.2", "Assessment", "Does assessment focus sufficiently on keeping other people safe?"),
    ("2.3", "Planning", "Does planning focus sufficiently on engaging the person on probation?"),
    ("2.3", "Planning", "Does planning focus sufficiently on reducing reoffending and supporting desistance?"),
    ("2.3", "Planning", "Does planning focus sufficiently on keeping other people safe?"),
    (
        "2.4",
        "Implementation and delivery",
        "Is the sentence or post-custody period implemented effectively with a "
        "focus on engaging the person on probation?",
    ),
    (
        "2.4",
        "Implementation and delivery",
        "Does the implementation and delivery of services effectively support desistance?",
    ),
    (
        "2.4",
        "Implementation and delivery",
        "Does the implementation and delivery of services effectively support the safety of other people?",
    ),
    (
        "2.5",
        "Reviewing",
        "Does reviewing focus sufficiently on supporting the compliance and engagement of the person on probation?",
    ),
    ("2.5", "Reviewing", "Does reviewing focus sufficiently on supporting desistance?"),
    ("2.5", "Reviewing", "Does reviewing focus sufficiently on keeping other people safe?"),
]

# Themes: (slug, name, description).
THEMES = [
    ("risk-of-harm", "Risk of harm", "Assessing, planning for and managing the risk of harm to others."),
    ("management-oversight", "Management oversight", "Quality assurance and oversight of casework by managers."),
    ("professional-curiosity", "Professional curiosity", "Practitioners questioning and verifying what they hear."),
    ("staffing", "Staffing and workloads", "Recruitment, retention and manageable caseloads."),
    ("unpaid-work", "Unpaid work", "Standalone unpaid work: assessment and safe placement allocation."),
    ("information-sharing", "Information sharing", "Domestic abuse and safeguarding enquiries with partners."),
    ("interventions", "Interventions", "Accredited programmes, structured interventions and CRS."),
    ("court-work", "Court work", "Pre-sentence reports and advice to court."),
    ("training", "Training and development", "Learning for practitioners and middle managers."),
    ("equality", "Equality and diversity", "Disproportionality in the quality of service delivery."),
    ("accommodation", "Accommodation", "Support for people on probation to find settled accommodation."),
    ("mappa", "MAPPA and public protection", "Multi-agency public protection arrangements and SFO reviews."),
]

# Recommendation wording by theme; {unit} is the addressee's name.
RECOMMENDATION_TEXTS = {
    "risk-of-harm": [
        "improve the quality of risk of harm assessments and analysis, ensuring that all available information "
        "is accessed and utilised",
        "improve the quality of work to assess, plan for, manage, and review risk of harm",
    ],
    "management-oversight": [
        "improve the quality assurance and management oversight arrangements of all casework, ensuring that "
        "practitioners apply professional curiosity",
        "address the deficiencies in the effectiveness of quality assurance and management oversight of all casework",
    ],
    "professional-curiosity": [
        "ensure that practitioners apply professional curiosity, verifying information from people on probation "
        "with partner agencies",
    ],
    "staffing": [
        "ensure that {unit} has sufficient staffing resources in place",
        "address the need for improved staff recruitment and retention",
        "address the poor staff morale, and ensure that adequate support is available for staff when required",
    ],
    "unpaid-work": [
        "ensure that standalone unpaid work cases have a thorough individual assessment and analysis of risk of "
        "harm that informs safe placement allocation",
        "review standalone unpaid work sentence management arrangements, to address the deficiencies identified in "
        "assessments and ensure that these are accurate, thorough, and inform placement allocation",
    ],
    "information-sharing": [
        "ensure that risk-related information is obtained and shared with other agencies in all relevant cases, "
        "to support the assessment and management of risk of harm",
        "ensure that domestic abuse and safeguarding enquiries are made and their results used in every case",
    ],
    "interventions": [
        "ensure that interventions necessary to improve desistance and reduce reoffending and risk of harm are "
        "provided in all cases",
        "ensure that accredited programmes, targeted interventions, and other services necessary to improve "
        "desistance and reduce risk of harm are fully utilised",
    ],
    "court-work": [
        "improve the probation staffing levels in court, and the quality of court reports to inform sentencing"
    ],
    "training": [
        "ensure that there is a blended offer in place of face-to-face and in-person training, and that delivery "
        "of training is prioritised to enhance the skills of the workforce",
        "address the knowledge gap that exists, with some staff not understanding the key priorities of their role",
    ],
    "equality": [
        "ensure appropriate management information is available to analyse and consider any potential "
        "disproportionality in the quality of service delivery to people on probation from black, Asian and "
        "minority ethnic backgrounds",
    ],
    "accommodation": [
        "revise the CRS contract for accommodation support services to better provide an effective "
        "service which meets the needs of people on probation"
    ],
    "mappa": [
        "improve the support to sites assessed as 'red' under the prioritisation framework, in particular "
        "through additional resourcing"
    ],
}

# The start of an action's description, and what it acts on.
ACTION_VERBS = [
    "Deliver",
    "Introduce",
    "Embed",
    "Review",
    "Audit",
    "Refresh",
    "Roll out",
    "Agree",
    "Establish",
    "Monitor",
]
ACTION_OBJECTS = [
    "risk of harm training to every practitioner, with quarterly case audits",
    "a management oversight checklist for SPOs, checked in monthly supervision",
    "domestic abuse and safeguarding enquiries at the start of every order",
    "a protocol with the police and children's services for sharing risk information",
    "unpaid work induction assessments covering risk to the public",
    "a recruitment and retention plan for probation officers and PSOs",
    "an accredited programmes waiting list review with the interventions team",
    "the pre-sentence report quality framework with the court team",
    "a professional curiosity practice week with case discussions",
    "equality monitoring of case allocation and outcomes by ethnicity",
    "a local accommodation pathway with the CRS provider",
    "MAPPA referral checks for all eligible cases",
]
SUCCESS_MEASURES = [
    "Audit shows {pct}% of assessments focus sufficiently on keeping other people safe.",
    "At least {pct}% of cases sampled show evidence of management oversight.",
    "Vacancy rate below {small}% for two consecutive quarters.",
    "{pct}% of practitioners complete the training within six months.",
    "Enquiries made in {pct}% of new cases, checked by monthly audit.",
]

UPDATE_NARRATIVES = [
    "Training sessions booked for all teams; first audit scheduled.",
    "Audit of twenty cases completed; findings shared at the team managers' meeting.",
    "Draft protocol circulated to partners for comment.",
    "Progress discussed at the quality board; two teams still to complete.",
    "Awaiting data from the performance team before the next review.",
    "Staff briefing delivered; guidance published on the intranet.",
    "Recruitment campaign launched; interviews arranged for next month.",
    "Dip sample shows improvement in recording of risk information.",
]
BLOCKED_NARRATIVES = [
    "On hold: waiting for the regional contract variation to be agreed.",
    "Delayed by staff vacancies in the court team.",
]
CLOSING_NARRATIVES = [
    "Completed: the follow-up audit shows the expected improvement in the quality of assessments.",
    "Completed: all practitioners trained and oversight recorded in the sampled cases.",
]
CANCEL_REASONS = [
    "superseded by the regional improvement plan",
    "merged into a broader action on the same recommendation",
]
RETURN_REASONS = [
    "the audit results for the last quarter are needed",
    "the evidence covers one team only; show all teams",
]
DUE_DATE_REASONS = [
    "Training provider rescheduled the sessions.",
    "Waiting for national guidance before the audit.",
    "Staff vacancies delayed the work.",
]

EVIDENCE_TITLES = [
    "Quarterly audit of risk assessments",
    "Training attendance record",
    "Team meeting minutes",
    "Information-sharing protocol",
    "Quality board report",
    "Dip sample findings",
]
EVIDENCE_FILE_TYPES = [
    (".pdf", "application/pdf"),
    (".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
]

FIRST_NAMES = [
    "Amira",
    "Ben",
    "Chloe",
    "Dev",
    "Ellen",
    "Femi",
    "Grace",
    "Hamza",
    "Isla",
    "Jack",
    "Kiran",
    "Leah",
    "Mohammed",
    "Niamh",
    "Owen",
    "Priya",
    "Rhys",
    "Sara",
    "Tom",
    "Uma",
    "Wyn",
    "Yasmin",
    "Zac",
]
LAST_NAMES = [
    "Ahmed",
    "Bennett",
    "Clarke",
    "Davies",
    "Evans",
    "Fraser",
    "Green",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Morgan",
    "Nowak",
    "Okafor",
    "Patel",
    "Roberts",
    "Singh",
    "Thomas",
    "Walker",
    "Williams",
    "Young",
]
INSPECTORS = ["Leon Bonas", "Helen Amor", "Caroline Nicklin", "Steve Woodgate", "Avine Mahon"]
