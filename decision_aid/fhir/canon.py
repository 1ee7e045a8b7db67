"""Where our FHIR resources live: the canonical URLs, derived from one configured base URL
(`FHIR_BASE_URL`), and the content version and date that every generated resource carries."""

from dataclasses import dataclass

from decision_aid.guidance.content import load

FHIR_JSON = "application/fhir+json"  # the media type of FHIR JSON
FHIR_VERSION = "4.0.1"
DEFAULT_BASE_URL = "https://decision-aid.example/fhir"
QUESTIONNAIRE_ID = "hfs-decision-aid"
CODESYSTEM_ID = "hfs-decision-aid-answers"
UCUM = "http://unitsofmeasure.org"
EXT = "http://hl7.org/fhir/StructureDefinition/"


@dataclass(frozen=True)
class Canon:
    """The canonical URLs under `base_url`, with the content `version` and review `date`
    (both from guidance/provenance.yaml unless given)."""

    base_url: str = DEFAULT_BASE_URL
    version: str = ""
    date: str = ""

    @classmethod
    def from_base(cls, base_url=None):
        provenance = load("provenance")
        base = (base_url or DEFAULT_BASE_URL).strip().rstrip("/")
        return cls(base, str(provenance["content_version"]), str(provenance["reviewed"]))

    @property
    def questionnaire_url(self):
        return f"{self.base_url}/Questionnaire/{QUESTIONNAIRE_ID}"

    @property
    def questionnaire_canonical(self):
        """`url|version`, as a response's `questionnaire` element names it."""
        return f"{self.questionnaire_url}|{self.version}"

    @property
    def codesystem_url(self):
        return f"{self.base_url}/CodeSystem/{CODESYSTEM_ID}"

    @property
    def reference_system(self):
        """The identifier system of the clinic reference codes (ABCD-EFGH)."""
        return f"{self.base_url}/reference-code"
