"""The inspection workbook contract, declared once.

Every sheet and column of `spec/inspection-workbook.md` is declared here. The same declarations
drive parsing, the pandera schemas, cross-sheet checks, the blank template, the annotated copy
and the column documentation, so the contract cannot drift between them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    """The cell types of the contract."""

    TEXT = "text"
    ENUM = "enum"
    INT = "int"
    NUMBER = "number"
    BOOL = "bool"
    DATE = "date"
    DATETIME = "datetime"


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    description: str
    required: bool = False
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    unique: bool = False
    personal: bool = False  # masked in reports and evidence
    width: int = 16
    optional_in_scope: bool = False  # required of a full inspection, not of one in a scope

    @property
    def expected(self) -> str:
        """What a valid cell holds, in the words an inspector reads."""
        text = {
            Kind.TEXT: "text",
            Kind.ENUM: "one of " + ", ".join(self.choices),
            Kind.INT: "a whole number",
            Kind.NUMBER: "a number",
            Kind.BOOL: "TRUE/FALSE, Yes/No, Y/N or 1/0",
            Kind.DATE: "a date (an Excel date or YYYY-MM-DD)",
            Kind.DATETIME: "a date and time (an Excel date/time or YYYY-MM-DD HH:MM)",
        }[self.kind]
        if self.minimum is not None and self.maximum is not None:
            text += f" from {_num(self.minimum)} to {_num(self.maximum)}"
        elif self.minimum is not None:
            text += f" ≥ {_num(self.minimum)}"
        return text


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


@dataclass(frozen=True)
class Sheet:
    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()  # columns unique together
    keyvalue: bool = False  # the Facility sheet: column A field, column B value
    required: bool = False
    references: tuple[tuple[str, str, str], ...] = ()  # (column, other sheet, other column)
    order: tuple[tuple[str, str, str], ...] = ()  # (earlier, later, what the pair means)
    required_when: tuple[tuple[str, str, tuple[str, ...]], ...] = ()  # (column, when column, in values)
    extra: dict[str, str] = field(default_factory=dict)

    def column(self, name: str) -> Column:
        return self._by_name[name]

    @property
    def _by_name(self) -> dict[str, Column]:
        return {c.name: c for c in self.columns}

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


SEX = ("F", "M", "X")
FACILITY_TYPES = ("SPC", "CDF", "IGSA", "DIGSA", "USMS-IGA", "USMS-CDF", "FRC", "STAGING", "HOLD")
AORS = (
    "ATL",
    "BAL",
    "BOS",
    "BUF",
    "CHI",
    "DAL",
    "DEN",
    "DET",
    "ELP",
    "HLG",
    "HOU",
    "LOS",
    "MIA",
    "NEW",
    "NOL",
    "NYC",
    "PHI",
    "PHO",
    "SEA",
    "SFR",
    "SLC",
    "SNA",
    "SND",
    "SPM",
    "WAS",
)
# USPS codes of the states, DC and the territories (a test keeps them those zones.py knows)
_STATE_CODES = (
    "AK AL AR AS AZ CA CO CT DC DE FL GA GU HI IA ID IL IN KS KY LA MA MD ME MI MN MO MP MS MT NC ND NE "
    "NH NJ NM NV NY OH OK OR PA PR RI SC SD TN TX UT VA VI VT WA WI WV WY"
)
STATES = tuple(_STATE_CODES.split())
# The editions this tool holds standards for (standards/editions/): a test keeps the two the same,
# so the template never offers an edition that validation would then refuse.
EDITIONS = ("PBNDS-2011", "NDS-2019", "NDS-2025")
SCOPES = ("segregation-notices",)  # standards/scopes/<id>.yml: a test keeps the two the same
REPORT_TYPES = ("72-hour", "14-day", "30-day-interval")  # the segregation reports of Directive 11065.1
INSPECTION_TYPES = (
    "full",
    "follow-up",
    "unannounced",
    "special-review",
    "pre-occupancy",
    "self-inspection",
)
PLACEMENT_KINDS = (
    "hold-room",
    "administrative-segregation",
    "disciplinary-segregation",
    "suicide-watch-constant",
    "suicide-watch-close",
)

T, E, INT, N, B, D, DT = (
    Kind.TEXT,
    Kind.ENUM,
    Kind.INT,
    Kind.NUMBER,
    Kind.BOOL,
    Kind.DATE,
    Kind.DATETIME,
)


# The optional detainee column of the record sheets (one declaration: masked in reports everywhere).
DETAINEE_ID = Column("detainee_id", T, "Detainee identifier (personal data).", personal=True)


def _datetimes(*pairs: tuple[str, str]) -> tuple[Column, ...]:
    return tuple(Column(name, DT, meaning, width=18) for name, meaning in pairs)


FACILITY = Sheet(
    "Facility",
    "Who and what was inspected. Key/value form: column A holds the field name, column B its value.",
    (
        Column("facility_id", T, "Stable facility code, e.g. an ICE DETLOC-style code.", True),
        Column("facility_name", T, "Facility name as it appears on the report cover.", True, width=36),
        Column("facility_type", E, "Facility type.", True, FACILITY_TYPES, optional_in_scope=True),
        Column("aor", E, "ERO area of responsibility (field office).", True, AORS),
        Column("state", E, "Two-letter state code (USPS), e.g. GA.", choices=STATES, width=8),
        Column(
            "time_zone",
            T,
            "IANA time zone of the facility's clocks, e.g. America/Chicago; empty = the state's "
            "(required where the state spans zones: AK FL ID IN KS KY MI ND NE NV OR SD TN TX).",
            width=22,
        ),
        Column(
            "detention_standard",
            E,
            "Detention standard the facility is bound by (in a scope, empty = the scope's edition).",
            True,
            EDITIONS,
            optional_in_scope=True,
        ),
        Column(
            "rated_capacity",
            INT,
            "Rated capacity of the whole facility.",
            True,
            minimum=0,
            optional_in_scope=True,
        ),
        Column("inspection_id", T, "Unique identifier of this inspection.", True),
        Column("inspection_type", E, "Type of inspection.", choices=INSPECTION_TYPES),
        Column("inspection_start", D, "First day on site.", True),
        Column("inspection_end", D, "Last day on site.", True),
        Column("review_period_start", D, "First day covered by the records.", True),
        Column("review_period_end", D, "Last day covered by the records.", True),
        Column("lead_inspector", T, "Name of the lead inspector."),
        Column("previous_inspection_id", T, "Identifier of the previous inspection, for repeat findings."),
        # The facility overview of ODO's reports (optional; shown on the report's overview page).
        Column("average_daily_population", INT, "Average daily population in the review period.", minimum=0),
        Column("custody_levels", T, "Custody levels held, e.g. Level 1, Level 2, Level 3.", width=30),
        Column("operator", T, "Who operates the facility, e.g. the county or a contractor.", width=30),
        Column("accreditation", T, "Accreditations held (e.g. ACA, NCCHC), or none.", width=30),
        Column(
            "scope",
            E,
            "Empty for a full inspection; or a scope that checks only some requirements "
            "(segregation-notices: the field-office notices of SRMS segregation reports).",
            choices=SCOPES,
        ),
    ),
    keyvalue=True,
    required=True,
    order=(
        ("inspection_start", "inspection_end", "the inspection cannot end before it starts"),
        ("review_period_start", "review_period_end", "the review period cannot end before it starts"),
        ("review_period_end", "inspection_end", "the records reviewed cannot end after the inspection"),
    ),
)

INTAKE = Sheet(
    "Intake",
    "One row per admission in the review period (or a documented sample).",
    (
        Column(
            "detainee_id", T, "Detainee identifier (personal data: masked in reports).", True, personal=True
        ),
        Column("arrival", DT, "Book-in at this facility.", True, width=18),
        Column("sex", E, "Sex: F, M or X.", choices=SEX, width=8),
        Column("date_of_birth", D, "Date of birth (personal data).", personal=True, width=14),
        Column("housing_unit", T, "Housing unit; must exist in Housing.unit_id when that sheet is present."),
        Column(
            "classification_level", E, "Custody level: 1 = low, 3 = high.", choices=("1", "2", "3"), width=10
        ),
        *_datetimes(
            ("classified", "Initial custody classification completed."),
            ("reclassified", "First reclassification."),
            ("general_population", "First placement in general-population housing."),
            ("medical_screening", "Initial medical/dental screening."),
            ("mental_health_screening", "Initial mental-health screening."),
            ("tb_screening", "Tuberculosis screening."),
            ("health_assessment", "Comprehensive health assessment."),
            ("dental_screening", "Initial dental exam."),
            ("pregnancy_test", "Pregnancy test."),
        ),
        Column("acute_condition", B, "Arrived reporting a known, acute or emergent condition.", width=10),
        Column("arrived_with_medication", B, "Arrived with prescribed medication.", width=10),
        Column(
            "medication_reviewed",
            DT,
            "Medication brought in reviewed by a provider (continued, changed or stopped).",
            width=18,
        ),
        *_datetimes(
            ("acute_evaluation", "Evaluated by a provider for the acute condition."),
            ("mental_health_referral", "Referred for a mental-health evaluation."),
            ("mental_health_evaluation", "Mental-health evaluation after the referral."),
            ("handbook_issued", "National and local detainee handbooks given."),
            ("release", "Release or transfer out; empty = still detained."),
        ),
        *_datetimes(  # the sexual-abuse risk assessment and its follow-ups (6 CFR 115.41, 115.81)
            ("saapi_screening", "Sexual-abuse risk assessment: victimization and abusiveness."),
            ("saapi_reassessment", "Reassessment of that risk (60 to 90 days after it)."),
            ("saapi_medical_referral", "Referred for medical follow-up of prior sexual abuse."),
            ("saapi_medical_evaluation", "Health evaluation after that referral."),
            ("saapi_mh_referral", "Referred for mental-health follow-up of prior sexual abuse."),
            ("saapi_mh_evaluation", "Mental-health evaluation after that referral."),
        ),
    ),
    key=("detainee_id", "arrival"),
    references=(("housing_unit", "Housing", "unit_id"),),
    order=(
        *(
            ("arrival", later, meaning)
            for later, meaning in (
                ("classified", "a classification before arrival"),
                ("general_population", "a general-population placement before arrival"),
                ("medical_screening", "a screening before arrival"),
                ("mental_health_screening", "a screening before arrival"),
                ("tb_screening", "a screening before arrival"),
                ("health_assessment", "an assessment before arrival"),
                ("dental_screening", "a screening before arrival"),
                ("pregnancy_test", "a test before arrival"),
                ("acute_evaluation", "an evaluation before arrival"),
                ("medication_reviewed", "a medication review before arrival"),
                ("handbook_issued", "a handbook issued before arrival"),
                ("release", "a release before arrival"),
            )
        ),
        ("classified", "reclassified", "a reclassification before the classification"),
        ("mental_health_referral", "mental_health_evaluation", "an evaluation before its referral"),
        ("arrival", "saapi_screening", "a risk assessment before arrival"),
        ("saapi_screening", "saapi_reassessment", "a reassessment before the assessment"),
        ("saapi_medical_referral", "saapi_medical_evaluation", "an evaluation before its referral"),
        ("saapi_mh_referral", "saapi_mh_evaluation", "an evaluation before its referral"),
    ),
)

HOUSING = Sheet(
    "Housing",
    "One row per housing unit at the time of inspection.",
    (
        Column("unit_id", T, "Housing unit identifier.", True, unique=True),
        Column(
            "unit_type",
            E,
            "Unit type.",
            choices=("general", "special-management", "medical", "hold-room", "intake"),
        ),
        Column("sex", E, "Who is housed there: F, M or X.", choices=SEX, width=8),
        Column("rated_capacity", INT, "Rated capacity of the unit.", True, minimum=0),
        Column("population", INT, "Count on the day observed.", True, minimum=0),
        Column("classification_levels", T, "Custody levels housed, e.g. 1,2."),
        *(
            Column(name, INT, f"Working {label}.", minimum=0, width=10)
            for name, label in (
                ("toilets", "toilets"),
                ("urinals", "urinals"),
                ("showers", "showers"),
                ("washbasins", "washbasins"),
                ("phones", "detainee telephones"),
            )
        ),
    ),
)

PLACEMENTS = Sheet(
    "Placements",
    "Hold rooms, special management units and suicide watch: one row per placement.",
    (
        Column("placement_id", T, "Placement identifier.", True, unique=True),
        Column("detainee_id", T, "Detainee identifier (personal data).", True, personal=True),
        Column("kind", E, "Kind of placement.", True, PLACEMENT_KINDS, width=26),
        Column("start", DT, "Placement start.", True, width=18),
        Column("end", DT, "Placement end; empty = ongoing at review_period_end.", width=18),
        Column("unit_id", T, "Unit or room."),
        Column(
            "date_of_birth",
            D,
            "Date of birth; if absent, taken from Intake by detainee_id.",
            personal=True,
            width=14,
        ),
        Column("sex", E, "Sex: F, M or X.", choices=SEX, width=8),
        Column("with_children", B, "Accompanied by own minor children.", width=10),
        Column("mental_illness", B, "Serious mental illness.", width=10),
        Column("serious_medical_illness", B, "Serious medical illness.", width=10),
        Column("serious_disability", B, "Serious disability.", width=10),
        Column("suicide_risk", B, "At risk of suicide.", width=10),
        # Directive 11065.1's other special vulnerabilities (docs/segregation.md)
        Column("elderly", B, "Elderly.", width=10),
        Column("pregnant", B, "Pregnant.", width=10),
        Column("nursing", B, "Nursing.", width=10),
        Column(
            "sogi_risk", B, "Susceptible to harm for their sexual orientation or gender identity.", width=10
        ),
        Column("abuse_victim", B, "A victim of sexual assault, torture, trafficking or abuse.", width=10),
        Column("field_office_notified", DT, "When the ICE field office was notified.", width=18),
        Column("sanction_days", INT, "Disciplinary sanction imposed, in days.", minimum=0, width=10),
        Column(
            "report_type",
            E,
            "For a row that is one segregation report (an SRMS export), which report: 72-hour, 14-day "
            "or 30-day-interval; empty for a placement record.",
            choices=REPORT_TYPES,
            width=14,
        ),
        Column(
            "watch_evaluation",
            DT,
            "Suicide watch: evaluated by a qualified mental-health professional after it began.",
            width=18,
        ),
        Column(
            "released_by_qmhp",
            B,
            "Suicide watch: ended on a qualified mental-health professional's order.",
            width=10,
        ),
    ),
    order=(("start", "end", "an end before the start"),),
)

CHECKS = Sheet(
    "Checks",
    "Observation rounds: one row per logged visual check of a placement.",
    (
        Column("placement_id", T, "Placement checked; must exist in Placements.", True),
        Column("checked", DT, "Time of the logged visual check.", True, width=18),
    ),
    references=(("placement_id", "Placements", "placement_id"),),
)

HUNGER_STRIKES = Sheet(
    "HungerStrikes",
    "One row per hunger strike: a detainee refusing food, declared or observed (PBNDS 2011 / NDS 2019 4.2).",
    (
        Column("hunger_strike_id", T, "Hunger strike identifier.", True, unique=True),
        DETAINEE_ID,
        Column("started", DT, "When the refusal began: the first meal refused.", True, width=18),
        Column("ended", DT, "When the detainee ate again; empty = refusing at the period's end.", width=18),
        Column("medical_referral", DT, "Referred to the medical department for evaluation.", width=18),
        Column("field_office_notified", DT, "When the ICE field office director was notified.", width=18),
    ),
    order=(
        ("started", "ended", "an end before the start"),
        ("started", "medical_referral", "a referral before the strike began"),
    ),
)

ALLEGATIONS = Sheet(
    "Allegations",
    "One row per allegation of sexual abuse or assault received (SAAPI; 6 CFR 115.52 for those filed as "
    "grievances).",
    (
        Column("allegation_id", T, "Allegation identifier.", True, unique=True),
        Column("detainee_id", T, "Alleged victim's identifier (personal data).", personal=True),
        Column("received", DT, "When staff received the allegation.", True, width=18),
        Column("grievance", B, "Filed as a formal grievance.", width=10),
        Column("decided", DT, "When the decision on the grievance was issued.", width=18),
        Column("appealed", DT, "When the detainee appealed that decision.", width=18),
        Column("appeal_answered", DT, "When the appeal was answered.", width=18),
    ),
    order=(
        ("received", "decided", "a decision before the grievance was received"),
        ("decided", "appealed", "an appeal before the decision"),
        ("appealed", "appeal_answered", "an answer before the appeal"),
    ),
)

USE_OF_FORCE = Sheet(
    "UseOfForce",
    "One row per use-of-force incident.",
    (
        Column("incident_id", T, "Incident identifier.", True, unique=True),
        Column("occurred", DT, "When force was used.", True, width=18),
        Column("kind", E, "Immediate or calculated use of force.", True, ("immediate", "calculated")),
        DETAINEE_ID,
        Column("chemical_agent", B, "OC spray or another chemical agent used.", width=10),
        Column("medical_consulted", DT, "Medical staff consulted (before a calculated use).", width=18),
        Column("medical_exam", DT, "Post-incident medical examination.", width=18),
        Column("video_recorded", B, "The use of force was video-recorded.", width=10),
        Column("after_action_review", D, "Date the after-action review team met.", width=14),
    ),
    order=(("occurred", "medical_exam", "a post-incident exam before the incident"),),
)

GRIEVANCES = Sheet(
    "Grievances",
    "One row per grievance.",
    (
        Column("grievance_id", T, "Grievance identifier.", True, unique=True),
        DETAINEE_ID,
        Column("kind", E, "Kind of grievance.", True, ("informal", "formal", "emergency", "medical")),
        Column("received", DT, "When the grievance was received.", True, width=18),
        Column("answered", DT, "When it was answered.", width=18),
        Column(
            "medical_received",
            DT,
            "For a medical grievance: when the health services administrator received it.",
            width=18,
        ),
    ),
    order=(
        ("received", "answered", "an answer before the grievance was received"),
        ("received", "medical_received", "medical staff receiving it before the grievance was received"),
    ),
)

# Issue 18: sick call, detainee requests, restraints, strip searches, deaths and significant incidents.
SICK_CALL = Sheet(
    "SickCall",
    "Requests for health care (sick call): one row per request.",
    (
        Column("request_id", T, "Sick-call request identifier.", True, unique=True),
        DETAINEE_ID,
        Column("requested", DT, "When the request was received (slip picked up, or made).", True, width=18),
        Column("clinical_symptom", B, "The request describes a clinical symptom.", width=10),
        Column("triaged", DT, "When health care staff triaged the request.", width=18),
        Column("seen", DT, "Face-to-face encounter with a qualified health care professional.", width=18),
    ),
    order=(
        ("requested", "triaged", "a triage before the request"),
        ("requested", "seen", "an encounter before the request"),
    ),
)

REQUESTS = Sheet(
    "Requests",
    "Written requests from detainees to ICE/ERO staff: one row per request.",
    (
        Column("request_id", T, "Request identifier.", True, unique=True),
        DETAINEE_ID,
        Column("received", DT, "When the request was received.", True, width=18),
        Column("answered", DT, "When the detainee was answered.", width=18),
    ),
    order=(("received", "answered", "an answer before the request was received"),),
)

RESTRAINT_KINDS = ("four-point", "five-point", "restraint-chair", "other")
RESTRAINTS = Sheet(
    "Restraints",
    "Placements in restraints beyond handcuffs for escort: one row per placement.",
    (
        Column("restraint_id", T, "Restraint placement identifier.", True, unique=True),
        DETAINEE_ID,
        Column("kind", E, "Kind of restraints.", True, RESTRAINT_KINDS, width=16),
        Column("applied", DT, "When the restraints were applied.", True, width=18),
        Column("removed", DT, "When they were removed; empty = still restrained.", width=18),
        Column("medical_check", DT, "First check by health care staff while restrained.", width=18),
    ),
    order=(
        ("applied", "removed", "a removal before the restraints were applied"),
        ("applied", "medical_check", "a medical check before the restraints were applied"),
    ),
)

SEARCHES = Sheet(
    "Searches",
    "Strip and body-cavity searches of detainees: one row per search.",
    (
        Column("search_id", T, "Search identifier.", True, unique=True),
        DETAINEE_ID,
        Column("kind", E, "Kind of search.", True, ("strip", "body-cavity"), width=12),
        Column("conducted", DT, "When the search was conducted.", True, width=18),
        Column("reasonable_suspicion", B, "Case-specific reasonable suspicion documented.", width=12),
        Column("supervisor_approved", B, "A supervisor approved the search before it.", width=12),
    ),
)

INCIDENT_KINDS = ("death", "serious-injury", "suicide-attempt", "assault", "escape", "other")
INCIDENTS = Sheet(
    "Incidents",
    "Deaths and significant incidents: one row per incident.",
    (
        Column("incident_id", T, "Incident identifier.", True, unique=True),
        Column("kind", E, "Kind of incident.", True, INCIDENT_KINDS, width=16),
        Column("occurred", DT, "When it occurred (for a death, when it was pronounced).", True, width=18),
        DETAINEE_ID,
        Column("ice_notified", DT, "When ICE/ERO was notified.", width=18),
    ),
    order=(("occurred", "ice_notified", "ICE notified before the incident"),),
)

FOOD_TEMPS = Sheet(
    "FoodTemps",
    "Food temperature log: one row per reading.",
    (
        Column("recorded", DT, "When the temperature was taken.", True, width=18),
        Column("location", T, "Kitchen, unit or cooler name.", True),
        Column("item", T, "Food item or equipment."),
        Column(
            "kind",
            E,
            "What was measured.",
            True,
            ("hot-holding", "cold-holding", "tray-delivery-hot", "refrigerator", "freezer"),
        ),
        Column("temp_f", N, "Degrees Fahrenheit.", True, minimum=-40, maximum=250, width=10),
    ),
)

ACTIVITIES = Sheet(
    "Activities",
    "Offered time per housing unit per day.",
    (
        Column("unit_id", T, "Housing unit.", True),
        Column("date", D, "Day.", True, width=14),
        Column("recreation_minutes", INT, "Recreation offered, in minutes.", minimum=0, width=12),
        Column("outdoor", B, "Recreation was outdoors.", width=10),
        Column("law_library_minutes", INT, "Law-library access offered, in minutes.", minimum=0, width=12),
    ),
    key=("unit_id", "date"),
)

SAFETY_LOG = Sheet(
    "SafetyLog",
    "Recurring safety events: one row per event.",
    (
        Column("date", D, "Day of the event.", True, width=14),
        Column("area", T, "Housing unit or area; required for fire drills."),
        Column(
            "event",
            E,
            "Kind of event.",
            True,
            (
                "pest-control",
                "fire-drill",
                "fire-inspection",
                "generator-test",
                "first-aid-kit-check",
                "emergency-plan-review",
            ),
            width=22,
        ),
        Column("result", T, "Outcome or remarks.", width=30),
    ),
    required_when=(("area", "event", ("fire-drill",)),),
)

STAFF = Sheet(
    "Staff",
    "Training and credentials: one row per staff member.",
    (
        Column("staff_id", T, "Staff identifier (masked in reports).", True, unique=True, personal=True),
        Column(
            "role",
            E,
            "Role.",
            True,
            (
                "custody",
                "medical",
                "mental-health",
                "food-service",
                "administration",
                "other",
            ),
        ),
        Column("supervises_detainees", B, "Supervises detainees.", width=10),
        Column("suicide_prevention_training", D, "Suicide-prevention training last completed.", width=14),
        Column("hunger_strike_training", D, "Hunger-strike training last completed.", width=14),
        Column("saapi_training", D, "Sexual-abuse prevention (SAAPI) training last completed.", width=14),
        Column("cpr_expires", D, "CPR certification expiry.", width=14),
        Column(
            "license_expires", D, "Professional licence expiry (medical and mental-health roles).", width=14
        ),
    ),
)

CHECKLIST = Sheet(
    "Checklist",
    "What the inspector observed or read: one row per observation requirement.",
    (
        Column(
            "requirement_id",
            T,
            "Id of an observation requirement in the standards catalogue.",
            True,
            unique=True,
            width=24,
        ),
        Column(
            "finding",
            E,
            "What the inspector found. An area of concern or a best practice (ODO's) is no deficiency "
            "and never rated; the report lists it in its own section.",
            True,
            ("compliant", "deficient", "not-applicable", "not-observed", "area-of-concern", "best-practice"),
        ),
        Column(
            "remarks",
            T,
            "Required when the finding is deficient, not-applicable, area-of-concern or best-practice.",
            width=40,
        ),
        Column("evidence", T, "Document or photo reference.", width=24),
        Column("corrected_on_site", B, "Fixed during the inspection (still counted, flagged).", width=10),
    ),
    required_when=(
        ("remarks", "finding", ("deficient", "not-applicable", "area-of-concern", "best-practice")),
    ),
)

# The sheets whose records `auditor sample` may draw from (every record sheet but the Sample itself).
RECORD_SHEETS = (
    INTAKE,
    HOUSING,
    PLACEMENTS,
    CHECKS,
    HUNGER_STRIKES,
    ALLEGATIONS,
    USE_OF_FORCE,
    GRIEVANCES,
    FOOD_TEMPS,
    ACTIVITIES,
    SICK_CALL,
    REQUESTS,
    RESTRAINTS,
    SEARCHES,
    INCIDENTS,
)
POPULATION_SHEETS = tuple(s.name for s in (*RECORD_SHEETS, SAFETY_LOG, STAFF, CHECKLIST))

SAMPLE = Sheet(
    "Sample",
    "File reviews by sample (docs/sampling.md): one row per record drawn by `auditor sample`, which "
    "writes every column but compliant and note; the inspector reviews each record's file and fills "
    "those in. The draw's design, seed and method repeat on every row of one population sheet.",
    (
        Column("population_sheet", E, "The sheet the record was drawn from.", True, POPULATION_SHEETS),
        Column("sheet_row", INT, "The record's row in that sheet.", True, minimum=2, width=10),
        Column(
            "record_key",
            T,
            "The record's key as written in its sheet, to find its file.",
            personal=True,
            width=30,
        ),
        Column("compliant", B, "The file was found compliant; empty = not reviewed yet.", width=11),
        Column("note", T, "What the review found, e.g. what is missing from the file.", width=40),
        Column("population", INT, "Records in the population sheet when drawn.", True, minimum=1),
        Column("confidence", N, "Confidence the sample was sized for.", True, minimum=0.5, maximum=0.999),
        Column("margin", N, "Tolerable minus expected rate.", True, minimum=0.01, maximum=0.5, width=10),
        Column("expected_rate", N, "Deviation rate expected when sizing.", True, minimum=0, maximum=0.99),
        Column("seed", INT, "Seed of the random draw: the same seed, the same records.", True, minimum=0),
        Column("method", T, "How the sample was sized and drawn.", True, width=60),
    ),
    key=("population_sheet", "sheet_row"),
)

SHEETS: tuple[Sheet, ...] = (
    FACILITY,
    INTAKE,
    HOUSING,
    PLACEMENTS,
    CHECKS,
    HUNGER_STRIKES,
    ALLEGATIONS,
    USE_OF_FORCE,
    GRIEVANCES,
    SICK_CALL,
    REQUESTS,
    RESTRAINTS,
    SEARCHES,
    INCIDENTS,
    FOOD_TEMPS,
    ACTIVITIES,
    SAFETY_LOG,
    STAFF,
    CHECKLIST,
    SAMPLE,
)
SHEETS_BY_NAME: dict[str, Sheet] = {s.name: s for s in SHEETS}


def sheet(name: str) -> Sheet:
    return SHEETS_BY_NAME[name]


def normalise_name(text: str) -> str:
    """How sheet names and headers are matched: case, spaces, `_` and `-` ignored (Date of Birth)."""
    return "".join(ch for ch in str(text).casefold() if not ch.isspace() and ch not in "_-")
