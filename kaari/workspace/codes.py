"""Code systems the workspace reads and writes. The social welfare document codes are Kaari's own (the synthetic
region uses the same), pending the THL classifications; LOINC names the clinical note types."""

SOCIAL_DOC_SYSTEM = "https://kaari.fi/fhir/CodeSystem/social-welfare-document"
LOINC = "http://loinc.org"
PROGRESS_NOTE = ("11506-3", "Progress note")
SOCIAL_ENTRY = ("client-record-entry", "Asiakaskertomusmerkintä")
