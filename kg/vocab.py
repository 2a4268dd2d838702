"""The zzkg ontology's terms as a closed namespace, and the standard vocabularies it reuses.

A typo in a term raises AttributeError instead of minting a new IRI; a test checks that every
term listed here is declared in ontology/zzkg.ttl and that the ontology declares no term missing
here.
"""

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

ONTOLOGY_IRI = "https://zzkg.example.org/ontology"
# The data's licence (the VoID description, the CSVW metadata and the Data Package say it)
LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")


class ZZ(DefinedNamespace):
    """https://zzkg.example.org/ontology# — classes, properties and concept individuals."""

    _fail = True
    _NS = Namespace(ONTOLOGY_IRI + "#")

    # Things the article talks about
    Article: URIRef
    Photo: URIRef
    Person: URIRef
    Place: URIRef
    City: URIRef
    Province: URIRef
    Country: URIRef
    Project: URIRef
    Industry: URIRef
    IndustrialChain: URIRef
    Product: URIRef
    TradeCorridor: URIRef
    TransportService: URIRef
    AirCargoRoute: URIRef
    ChinaEuropeRailService: URIRef
    RailSeaIntermodalService: URIRef
    Institution: URIRef
    ResearchInstitute: URIRef
    University: URIRef
    Campus: URIRef
    Laboratory: URIRef
    Company: URIRef
    GovernmentBody: URIRef
    DataExchange: URIRef
    MedicalCentre: URIRef
    Programme: URIRef
    Event: URIRef
    Award: URIRef
    Policy: URIRef
    ComparisonGroup: URIRef

    # What is measured and the facts themselves
    Indicator: URIRef
    Fact: URIRef
    Observation: URIRef
    Claim: URIRef
    Period: URIRef
    Quote: URIRef
    Statement: URIRef
    Qualifier: URIRef
    Status: URIRef
    ClaimType: URIRef

    # Fact properties
    about: URIRef
    indicator: URIRef
    value: URIRef
    unit: URIRef
    measureWord: URIRef
    valueAsWritten: URIRef
    qualifier: URIRef
    status: URIRef
    lowerBound: URIRef
    lowerBoundInclusive: URIRef
    upperBound: URIRef
    upperBoundInclusive: URIRef
    period: URIRef
    growthOf: URIRef
    rank: URIRef
    rankAmong: URIRef
    claimType: URIRef
    claimText: URIRef
    periodAsWritten: URIRef
    rankAsWritten: URIRef
    comparisonBasis: URIRef
    concerns: URIRef
    hasQuote: URIRef
    rawStart: URIRef
    rawEnd: URIRef
    evidence: URIRef
    periodBasis: URIRef
    periodNote: URIRef
    aboutBasis: URIRef
    aboutNote: URIRef
    latestDateStated: URIRef

    # Relations between entities
    destination: URIRef
    origin: URIRef
    newStation: URIRef
    reliesOn: URIRef
    produces: URIRef
    partOfCorridor: URIRef
    locatedIn: URIRef
    heldIn: URIRef
    appliesTo: URIRef
    memberOfChain: URIRef
    awardedTo: URIRef
    workplace: URIRef
    hasPart: URIRef

    # Units QUDT lacks
    TEU: URIRef

    # Qualifiers (bounds of a figure as written)
    Exact: URIRef
    AtLeast: URIRef
    MoreThan: URIRef
    Nearly: URIRef
    Reached: URIRef
    TwoDigit: URIRef

    # Status of a figure
    Reported: URIRef
    Estimated: URIRef

    # Kinds of qualitative claim
    HistoricHigh: URIRef
    BestEver: URIRef
    FirstInCountry: URIRef
    AmongLeaders: URIRef
    ConstructionStarted: URIRef
    MainStructureCompleted: URIRef
    Approved: URIRef
    SiteSelected: URIRef
    Accelerating: URIRef
    EventHeld: URIRef
    AwardWon: URIRef
    Continuing: URIRef
    StrongGrowth: URIRef
    FullCoverage: URIRef
    Progressing: URIRef
    MarkedResults: URIRef
    Improving: URIRef
    Drives: URIRef
    Introduced: URIRef

    # Bases of a comparison
    ComparisonBasis: URIRef
    YearOnYear: URIRef

    # Stated or inferred
    Basis: URIRef
    Stated: URIRef
    Inferred: URIRef

    # Concept schemes
    QualifierScheme: URIRef
    StatusScheme: URIRef
    ClaimTypeScheme: URIRef
    ComparisonBasisScheme: URIRef
    BasisScheme: URIRef


QB = Namespace("http://purl.org/linked-data/cube#")
SCHEMA = Namespace("https://schema.org/")
TIME = Namespace("http://www.w3.org/2006/time#")
OA = Namespace("http://www.w3.org/ns/oa#")
QUDT = Namespace("http://qudt.org/schema/qudt/")
UNIT = Namespace("http://qudt.org/vocab/unit/")
VOID = Namespace("http://rdfs.org/ns/void#")
WD = Namespace("http://www.wikidata.org/entity/")
GEONAMES = Namespace("https://sws.geonames.org/")

PREFIXES = {
    "zz": str(ZZ._NS),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dct": str(DCTERMS),
    "prov": str(PROV),
    "qb": str(QB),
    "schema": str(SCHEMA),
    "time": str(TIME),
    "oa": str(OA),
    "qudt": str(QUDT),
    "unit": str(UNIT),
    "void": str(VOID),
    "dcat": str(DCAT),
    "wd": str(WD),
    "gn": str(GEONAMES),
}
