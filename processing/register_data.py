"""The register as the privacy statement of 1 September 2020 describes it.

Loaded by ``processing.register.register_load`` from a data migration, so every fresh
database holds the complete register without anyone typing it in. Wording is (Dutch,
English). Changing an entry here and adding a migration that reloads it updates
existing databases; staff changes made in the admin to other fields are kept.
"""

from __future__ import annotations

CONTROLLER = {
    "name": "Leafspring B.V.",
    "street_address": "Lichtenvoordseweg 28A",
    "postcode": "7055BB",
    "city": "Heelweg",
    "email": "info@leafspring.nl",
    "phone": "06 51 85 17 01",
    "kvk_number": "72475730",
    "authority_name": "Autoriteit Persoonsgegevens",
    "authority_address": "Postbus 93374, 2509 AJ Den Haag",
    "authority_url": "https://autoriteitpersoonsgegevens.nl",
    "statement_date": "2020-09-01",
}

LEGAL_BASES = [
    ("a", "Art. 6(1)(a) AVG", "Toestemming", "Consent"),
    ("b", "Art. 6(1)(b) AVG", "Uitvoering van een overeenkomst", "Performance of a contract"),
    ("c", "Art. 6(1)(c) AVG", "Wettelijke verplichting", "Legal obligation"),
    ("d", "Art. 6(1)(d) AVG", "Vitaal belang", "Vital interests"),
    ("e", "Art. 6(1)(e) AVG", "Taak van algemeen belang", "Public task"),
    ("f", "Art. 6(1)(f) AVG", "Gerechtvaardigd belang", "Legitimate interests"),
]

SUBJECT_CATEGORIES = [
    ("website-visitor", "Websitebezoeker", "Website visitor"),
    (
        "contact-requester",
        "Contactaanvrager (formulier of e-mail)",
        "Contact requester (form or e-mail)",
    ),
    ("brochure-requester", "Brochure-aanvrager", "Brochure requester"),
    ("newsletter-subscriber", "Nieuwsbriefabonnee", "Newsletter subscriber"),
    ("client", "Klant (individu)", "Client (individual)"),
    (
        "client-organisation-contact",
        "Contactpersoon klantorganisatie",
        "Client organisation contact",
    ),
    ("trainee", "Deelnemer traineeship", "Trainee (participant)"),
    ("mentor", "Mentor", "Mentor"),
    ("trainer-coach", "Trainer/coach", "Trainer/coach"),
    ("supplier-contact", "Contactpersoon dienstverlener", "Supplier contact"),
]

# key, nl, en, special category (Art. 9)
DATA_CATEGORIES = [
    (
        "contact-details",
        "Contactgegevens (naam, adres, telefoon, e-mail)",
        "Contact details (name, address, phone, e-mail)",
        False,
    ),
    (
        "technical-data",
        "Technische gegevens (IP-adres, besturingssysteem, browser)",
        "Technical data (IP address, operating system, browser)",
        False,
    ),
    (
        "correspondence",
        "Correspondentie (berichten en e-mails)",
        "Correspondence (messages and e-mails)",
        False,
    ),
    ("contract-data", "Overeenkomst- en trajectgegevens", "Contract and trajectory data", False),
    (
        "profile",
        "Functie, opleiding, werkervaring en sterkteprofiel",
        "Job title, education, work experience and strengths profile",
        False,
    ),
    ("health", "Gezondheidsgegevens (allergieën)", "Health data (allergies)", True),
    (
        "coaching-content",
        "Inhoud van coaching en gespreksaantekeningen",
        "Coaching content and conversation notes",
        True,
    ),
    (
        "demographics",
        "Voorletters, geslacht, leeftijd, opleiding, burgerlijke staat",
        "Initials, gender, age, education, marital status",
        False,
    ),
    ("questionnaire", "Antwoorden op vragenlijsten", "Questionnaire answers", False),
    (
        "financial",
        "Factuur- en bankgegevens (IBAN, tenaamstelling, KvK, btw)",
        "Invoice and bank details (IBAN, account holder, KvK, VAT)",
        False,
    ),
    ("image", "Beeldmateriaal (videoverbinding)", "Images (video connection)", False),
    ("evaluation", "Geanonimiseerde klantevaluaties", "Anonymised client evaluations", False),
    (
        "consent-records",
        "Toestemmingen en verzoeken van betrokkenen",
        "Consents and data subject requests",
        False,
    ),
    (
        "audit-trail",
        "Logboek van handelingen op persoonsgegevens",
        "Log of actions on personal data",
        False,
    ),
    (
        "suppression-hash",
        "Versleutelde vingerafdruk (sleutel-hash) van een e-mailadres",
        "Keyed hash (fingerprint) of an e-mail address",
        False,
    ),
    (
        "breach-records",
        "Vastlegging van datalekken (wat er gebeurde, wie erdoor geraakt is, wie is ingelicht)",
        "Breach records (what happened, who was affected, who was told)",
        False,
    ),
]

# key, name, kind, country, outside EEA, mechanism, description nl, description en
RECIPIENTS = [
    (
        "hosting",
        "Hostingpartij",
        "processor",
        "Nederland",
        False,
        "none",
        "Host van de website en deze applicatie.",
        "Hosts the website and this application.",
    ),
    (
        "web-administrator",
        "Webbeheerder",
        "processor",
        "Nederland",
        False,
        "none",
        "Beheert de website.",
        "Maintains the website.",
    ),
    (
        "financial-administration",
        "Financiële administratie",
        "processor",
        "Nederland",
        False,
        "none",
        "Voert de boekhouding en belastingaangiften uit.",
        "Keeps the books and files tax returns.",
    ),
    (
        "zoom",
        "Zoom",
        "processor",
        "Verenigde Staten",
        True,
        "dpf",
        "Online vergaderen.",
        "Online meetings.",
    ),
    (
        "mailchimp",
        "Mailchimp",
        "processor",
        "Verenigde Staten",
        True,
        "dpf",
        "Verzenden van nieuwsbrieven en mailings.",
        "Sends newsletters and mailings.",
    ),
    (
        "microsoft-365",
        "Microsoft 365",
        "processor",
        "Verenigde Staten",
        True,
        "dpf",
        "E-mail en documenten.",
        "E-mail and documents.",
    ),
    (
        "meetin",
        "MeetIn",
        "controller",
        "Nederland",
        False,
        "none",
        "Reisorganisatie voor studiereizen.",
        "Travel organiser for study trips.",
    ),
    (
        "e2grow",
        "E2Grow",
        "processor",
        "Nederland",
        False,
        "none",
        "Platform voor inzicht in functioneren en samenwerking.",
        "Platform for insight into performance and collaboration.",
    ),
    (
        "coaching-monitor",
        "Coaching Monitor",
        "processor",
        "Nederland",
        False,
        "none",
        "Voortgang, evaluatie en rapportage van coachtrajecten.",
        "Progress, evaluation and reporting of coaching trajectories.",
    ),
    (
        "gallup",
        "Gallup (CliftonStrengths)",
        "processor",
        "Verenigde Staten",
        True,
        "scc",
        "CliftonStrengths-vragenlijst en resultaten.",
        "CliftonStrengths questionnaire and results.",
    ),
    (
        "trainers-coaches",
        "Trainers/coaches",
        "processor",
        "Nederland",
        False,
        "none",
        "Begeleiden deelnemers in het traineeship-programma.",
        "Guide participants in the traineeship programme.",
    ),
    (
        "nobco",
        "NOBCO",
        "controller",
        "Nederland",
        False,
        "none",
        "Certificering op basis van geanonimiseerde evaluaties.",
        "Certification based on anonymised evaluations.",
    ),
]

# The country names in English (the tuples above name them in Dutch).
COUNTRY_EN = {"Nederland": "Netherlands", "Verenigde Staten": "United States"}

# Where a recipient's role is not the same for every purpose (Dutch, English).
RECIPIENT_ROLE_NOTES = {
    "coaching-monitor": (
        "Verwerker voor de voortgang, evaluatie en rapportage van coachtrajecten. Voor zijn "
        "eigen onderzoek met geanonimiseerde antwoorden, waarvoor de deelnemer apart "
        "toestemming geeft, is Coaching Monitor zelf verwerkingsverantwoordelijke.",
        "Processor for the progress, evaluation and reporting of coaching trajectories. For "
        "its own research with anonymised answers, to which the participant consents "
        "separately, Coaching Monitor is a controller itself.",
    ),
    "meetin": (
        "MeetIn organiseert de studiereis en gebruikt de gegevens voor zijn eigen "
        "overeenkomst met de deelnemer.",
        "MeetIn organises the study trip and uses the data for its own contract with the "
        "participant.",
    ),
    "nobco": (
        "Voor de certificering van de coaches; ontvangt alleen geanonimiseerde evaluaties.",
        "For the certification of the coaches; receives anonymised evaluations only.",
    ),
}

SECURITY_NL = (
    "Toegang alleen voor bevoegde medewerkers met persoonlijke accounts; versleutelde "
    "verbindingen (TLS); verwerkersovereenkomsten met alle verwerkers; automatische "
    "bewaartermijnen; logboek van handelingen."
)
SECURITY_EN = (
    "Access only for authorised staff with personal accounts; encrypted connections (TLS); "
    "processing agreements with every processor; automated retention periods; audit trail."
)
SECURITY_SPECIAL_NL = SECURITY_NL + " Bijzondere persoonsgegevens worden versleuteld opgeslagen."
SECURITY_SPECIAL_EN = SECURITY_EN + " Special-category data is stored encrypted."
FROM_YOU = ("Van jou zelf", "From you")
FROM_EMPLOYER = ("Van jou zelf of van jouw werkgever", "From you or your employer")
NO_CONTACT = (
    "Zonder contactgegevens kan Leafspring geen contact met je opnemen.",
    "Without contact details Leafspring cannot contact you.",
)
NO_CONTRACT = (
    "Zonder deze gegevens kan Leafspring de overeenkomst niet goed uitvoeren.",
    "Without this data Leafspring cannot properly perform the contract.",
)

ACTIVITIES = [
    {
        "number": 1,
        "key": "website-security",
        "name": ("Beveiliging van de website", "Website security"),
        "purpose": (
            "Internetcriminaliteit tegengaan en de website bereikbaar en veilig houden.",
            "Fighting internet crime and keeping the website available and safe.",
        ),
        "subjects": ["website-visitor"],
        "data": ["technical-data"],
        "bases": ["f"],
        "legitimate_interest": (
            "Internetcriminaliteit tegengaan en de website bereikbaar en veilig houden.",
            "Fighting internet crime and keeping the website available and safe.",
        ),
        "recipients": ["hosting", "web-administrator"],
        "retention": ("IP-adres maximaal 4 weken.", "IP address at most 4 weeks."),
        "source": ("Je browser bij het bezoek", "Your browser during the visit"),
        "requirement": "voluntary",
        "consequence": (
            "Zonder deze gegevens kan de website niet worden getoond.",
            "Without this data the website cannot be shown.",
        ),
    },
    {
        "number": 2,
        "key": "contact-form",
        "name": ("Contactformulier", "Contact form"),
        "purpose": (
            "Contact met je opnemen en je vraag beantwoorden.",
            "Contacting you and answering your question.",
        ),
        "subjects": ["contact-requester"],
        "data": ["contact-details", "correspondence"],
        "bases": ["b", "f"],
        "basis_note": (
            "Je vraag beantwoorden berust op je eigen verzoek (art. 6 lid 1 sub b AVG: "
            "stappen op jouw verzoek) en op ons gerechtvaardigd belang om vragen te "
            "beantwoorden (sub f). Er is geen vinkje 'ik geef toestemming' nodig: dat zou "
            "geen vrije toestemming zijn.",
            "Answering your question rests on your own request (Art. 6(1)(b) GDPR: steps "
            "taken at your request) and on our legitimate interest in answering questions "
            "(point (f)). No 'I consent' tick is needed: that would not be free consent.",
        ),
        "legitimate_interest": (
            "Vragen beantwoorden van mensen die contact met ons opnemen.",
            "Answering the questions of people who contact us.",
        ),
        "retention": (
            "Wordt regelmatig beoordeeld en verwijderd zodra niet meer nodig.",
            "Reviewed regularly and deleted once no longer needed.",
        ),
        "source": FROM_YOU,
        "requirement": "voluntary",
        "consequence": NO_CONTACT,
        "consent": (
            "Ik geef Leafspring toestemming om met deze gegevens contact met mij op te nemen.",
            "I consent to Leafspring contacting me using these details.",
        ),
    },
    {
        "number": 3,
        "key": "email-correspondence",
        "name": ("E-mailcorrespondentie", "E-mail correspondence"),
        "purpose": (
            "Over het betreffende onderwerp contact opnemen of de overeenkomst uitvoeren.",
            "Contacting you about the subject concerned or performing the contract.",
        ),
        "subjects": [
            "contact-requester",
            "client",
            "client-organisation-contact",
            "supplier-contact",
        ],
        "data": ["contact-details", "correspondence"],
        "bases": ["a", "b", "c"],
        "basis_note": (
            "Toestemming of overeenkomst; zakelijke e-mails zijn onderdeel van de "
            "administratie (wettelijke bewaarplicht).",
            "Consent or contract; business e-mails are part of the bookkeeping (statutory "
            "retention duty).",
        ),
        "recipients": ["microsoft-365"],
        "retention": (
            "Regelmatig beoordeeld; e-mails over de bedrijfsvoering 7 jaar.",
            "Reviewed regularly; e-mails about the business 7 years.",
        ),
        "source": FROM_YOU,
        "requirement": "voluntary",
        "consequence": NO_CONTACT,
    },
    {
        "number": 4,
        "key": "brochure",
        "name": (
            "Brochure aanvragen traineeship-programma",
            "Brochure request (traineeship programme)",
        ),
        "purpose": (
            "Brochure toesturen; alleen als je daar apart voor kiest: binnen 3 maanden "
            "bellen over het traineeship-programma.",
            "Sending the brochure; only if you choose it separately: calling you about the "
            "traineeship programme within 3 months.",
        ),
        "subjects": ["brochure-requester"],
        "data": ["contact-details"],
        "bases": ["b", "a"],
        "basis_note": (
            "De brochure sturen berust op je aanvraag (art. 6 lid 1 sub b AVG). Bellen "
            "binnen 3 maanden alleen met je aparte toestemming (sub a); aanmelden voor de "
            "nieuwsbrief is een aparte keuze met een eigen bevestiging (zie Nieuwsbrief). "
            "Beide vakjes staan standaard uit en zijn niet nodig voor de brochure.",
            "Sending the brochure rests on your request (Art. 6(1)(b) GDPR). A call within 3 "
            "months only with your separate consent (point (a)); joining the newsletter is "
            "a separate choice with its own confirmation (see Newsletter). Both boxes are "
            "unticked and not needed for the brochure.",
        ),
        "retention": (
            "De aanvraag wordt na 3 maanden verwijderd; de nieuwsbrief loopt tot je je "
            "uitschrijft.",
            "The request is deleted after 3 months; the newsletter runs until you unsubscribe.",
        ),
        "source": FROM_YOU,
        "requirement": "voluntary",
        "consequence": (
            "Zonder deze gegevens kan de brochure niet worden verstuurd.",
            "Without this data the brochure cannot be sent.",
        ),
        "consent": (
            "Ik geef Leafspring toestemming mij de brochure te sturen, binnen 3 maanden "
            "contact met mij op te nemen over het traineeship-programma en mij op te nemen "
            "in het adressenbestand voor mailings.",
            "I consent to Leafspring sending me the brochure, contacting me within 3 months "
            "about the traineeship programme and adding me to the mailing list.",
        ),
    },
    {
        "number": 5,
        "key": "services",
        "name": (
            "Dienstverlening aan individuen en organisaties",
            "Services to individuals and organisations",
        ),
        "purpose": (
            "Het uitoefenen van de werkzaamheden die voortvloeien uit de overeenkomst: "
            "traineeship, begeleiding en coaching.",
            "Carrying out the work under the contract: traineeship, guidance and coaching.",
        ),
        "subjects": ["client", "client-organisation-contact"],
        "data": ["contact-details", "contract-data"],
        "bases": ["b"],
        "retention": (
            "7 jaar (klantgegevens zijn administratie).",
            "7 years (client data is bookkeeping data).",
        ),
        "source": FROM_EMPLOYER,
        "requirement": "contract-entry",
        "consequence": NO_CONTRACT,
    },
    {
        "number": 6,
        "key": "invoicing",
        "name": ("Facturatie en betalingen", "Invoicing and payments"),
        "purpose": (
            "Facturen versturen en betalingen afhandelen.",
            "Sending invoices and handling payments.",
        ),
        "subjects": ["client", "client-organisation-contact"],
        "data": ["contact-details", "financial"],
        "bases": ["b", "c"],
        "recipients": ["financial-administration"],
        "retention": (
            "7 jaar (fiscale bewaarplicht, art. 52 AWR).",
            "7 years (fiscal retention duty, art. 52 AWR).",
        ),
        "source": FROM_EMPLOYER,
        "requirement": "statutory",
        "consequence": NO_CONTRACT,
    },
    {
        "number": 7,
        "key": "newsletter",
        "name": ("Nieuwsbrief", "Newsletter"),
        "purpose": (
            "Nieuwsbrieven over activiteiten en nieuwe dienstverlening versturen.",
            "Sending newsletters about activities and new services.",
        ),
        "subjects": ["newsletter-subscriber", "client"],
        "data": ["contact-details"],
        "bases": ["a", "f"],
        "basis_note": (
            "Klanten: gerechtvaardigd belang (direct marketing); anderen: expliciete toestemming.",
            "Clients: legitimate interest (direct marketing); others: explicit consent.",
        ),
        "legitimate_interest": (
            "Direct marketing aan bestaande klanten over vergelijkbare diensten.",
            "Direct marketing to existing clients about similar services.",
        ),
        "recipients": ["mailchimp"],
        "retention": (
            "Na uitschrijven per direct geen nieuwsbrief meer; gegevens binnen 6 weken "
            "verwijderd. Alleen een versleutelde vingerafdruk van je e-mailadres blijft op de "
            "afmeldlijst, zodat we je niet opnieuw mailen. Een aanmelding die je niet binnen 7 "
            "dagen bevestigt, wordt verwijderd.",
            "After unsubscribing no more newsletters at once; data deleted within 6 weeks. "
            "Only a keyed fingerprint of your e-mail address stays on the suppression list, so "
            "that we never mail you again. A sign-up you do not confirm within 7 days is "
            "deleted.",
        ),
        "source": FROM_YOU,
        "requirement": "voluntary",
        "consequence": (
            "Je ontvangt dan geen nieuwsbrief.",
            "You will not receive the newsletter.",
        ),
        "consent": (
            "Ik wil de nieuwsbrief van Leafspring ontvangen. Uitschrijven kan altijd via de "
            "link onderaan iedere nieuwsbrief.",
            "I want to receive Leafspring's newsletter. I can unsubscribe at any time through "
            "the link at the bottom of every newsletter.",
        ),
    },
    {
        "number": 8,
        "key": "traineeship-organisations",
        "name": ("Traineeship-programma voor organisaties", "Traineeship for organisations"),
        "purpose": (
            "Het traineeship-programma voor de medewerkers van de organisatie uitvoeren.",
            "Running the traineeship programme for the organisation's employees.",
        ),
        "subjects": ["client-organisation-contact"],
        "data": ["contact-details", "contract-data"],
        "bases": ["b"],
        "retention": ("7 jaar.", "7 years."),
        "source": ("Van de organisatie", "From the organisation"),
        "requirement": "contract-entry",
        "consequence": NO_CONTRACT,
    },
    {
        "number": 9,
        "key": "traineeship-participants",
        "name": ("Deelnemers traineeship-programma", "Traineeship participants"),
        "purpose": (
            "Het traineeship-programma, de begeleiding en coaching uitvoeren.",
            "Running the traineeship programme, guidance and coaching.",
        ),
        "subjects": ["trainee"],
        "data": ["contact-details", "profile", "health", "coaching-content"],
        "bases": ["b", "a"],
        "basis_note": (
            "Overeenkomst; allergieën (gezondheid) en gezondheidsinformatie in "
            "gespreksaantekeningen alleen met je uitdrukkelijke toestemming (art. 9 lid 2 "
            "sub a AVG; coaches zijn geen zorgverleners).",
            "Contract; allergies (health) and health information in conversation notes only "
            "with your explicit consent (Art. 9(2)(a) GDPR; coaches are not health "
            "professionals).",
        ),
        "special": "9-2-a",
        "recipients": ["trainers-coaches"],
        "retention": (
            "Inhoud van coaching en gespreksaantekeningen worden na afloop van het traject "
            "verwijderd. Heeft een traject 12 maanden na de start nog geen einddatum, dan "
            "beoordeelt Leafspring het: de einddatum wordt vastgelegd, of het traject blijft "
            "met een reden open en wordt uiterlijk een jaar later opnieuw beoordeeld.",
            "Coaching content and conversation notes are deleted at the end of the trajectory. "
            "If a trajectory has no end date 12 months after its start, Leafspring reviews it: "
            "its end date is set, or it stays open for a stated reason and is reviewed again "
            "within a year.",
        ),
        "source": FROM_EMPLOYER,
        "requirement": "contractual",
        "consequence": (
            "Zonder deze gegevens kan Leafspring geen goed beeld vormen en geen kwalitatief "
            "goed traineeship-programma neerzetten.",
            "Without this data Leafspring cannot form a good picture or run a good "
            "traineeship programme.",
        ),
        "consent": (
            "Ik geef Leafspring uitdrukkelijk toestemming mijn allergieën te verwerken voor "
            "het traineeship-programma.",
            "I explicitly consent to Leafspring processing my allergies for the traineeship "
            "programme.",
        ),
    },
    {
        "number": 10,
        "key": "mentor",
        "name": ("Mentor", "Mentor"),
        "purpose": (
            "De rol van mentor in het traineeship-programma.",
            "The mentor's role in the traineeship programme.",
        ),
        "subjects": ["mentor"],
        "data": ["contact-details"],
        "bases": ["b"],
        "basis_note": (
            "Overeenkomst met de organisatie van de mentor.",
            "Contract with the mentor's organisation.",
        ),
        "retention": ("Tot het einde van het traject.", "Until the end of the trajectory."),
        "source": ("Van jouw werkgever", "From your employer"),
        "requirement": "contractual",
        "consequence": NO_CONTRACT,
    },
    {
        "number": 11,
        "key": "coaching-monitor",
        "name": ("Coaching Monitor", "Coaching Monitor"),
        "purpose": (
            "Inzicht in de voortgang van een coachtraject, bijsturen, feedback, evaluaties en "
            "een eindrapportage.",
            "Insight into the progress of a coaching trajectory, adjusting it, feedback, "
            "evaluations and a final report.",
        ),
        "subjects": ["trainee", "client"],
        "data": ["contact-details", "demographics", "questionnaire"],
        "bases": ["b", "a"],
        "basis_note": (
            "Overeenkomst; voorletters, geslacht, leeftijd, opleiding en burgerlijke staat "
            "alleen na expliciete toestemming; onderzoek alleen geanonimiseerd en met "
            "toestemming.",
            "Contract; initials, gender, age, education and marital status only after explicit "
            "consent; research only anonymised and with consent.",
        ),
        "recipients": ["coaching-monitor"],
        "retention": (
            "Na afloop verwijderd; met toestemming voor onderzoek geanonimiseerd (zonder "
            "vrije tekst) en daarna maximaal 5 jaar bewaard. Een traject zonder einddatum "
            "wordt 12 maanden na de start beoordeeld.",
            "Deleted at the end; with consent for research anonymised (without free text) "
            "and then kept at most 5 years. A trajectory without an end date is reviewed 12 "
            "months after its start.",
        ),
        "source": FROM_YOU,
        "requirement": "voluntary",
        "consequence": (
            "De voortgang van je traject kan dan niet worden gemeten.",
            "The progress of your trajectory cannot be measured then.",
        ),
        "consent": (
            "Ik geef toestemming voor het verwerken van mijn voorletters, geslacht, leeftijd, "
            "hoogst genoten opleiding en burgerlijke staat in de Coaching Monitor.",
            "I consent to the processing of my initials, gender, age, highest education and "
            "marital status in the Coaching Monitor.",
        ),
    },
    {
        "number": 12,
        "key": "clifton-strengths",
        "name": ("CliftonStrengths (Gallup)", "CliftonStrengths (Gallup)"),
        "purpose": (
            "Inzicht in je talenten en sterke punten.",
            "Insight into your talents and strengths.",
        ),
        "subjects": ["trainee", "client"],
        "data": ["contact-details", "profile"],
        "bases": ["b"],
        "recipients": ["gallup"],
        "retention": (
            "Je kunt je account op ieder moment laten verwijderen. Anders worden je gegevens "
            "3 maanden na afloop van je laatste traject verwijderd (zonder traject: 3 maanden "
            "na het einde van de zakelijke relatie), tenzij je opnieuw toestemming geeft om "
            "ze tot een afgesproken datum te bewaren. Leafspring vraagt Gallup dan ook het "
            "account zelf te verwijderen.",
            "You can have your account deleted at any time. Otherwise your data is deleted 3 "
            "months after your last trajectory has ended (without a trajectory: 3 months "
            "after the business relationship ended), unless you give new consent to keep it "
            "until an agreed date. Leafspring then also asks Gallup to delete the account "
            "itself.",
        ),
        "source": FROM_YOU,
        "requirement": "contractual",
        "consequence": NO_CONTRACT,
    },
    {
        "number": 13,
        "key": "e2grow",
        "name": ("E2Grow", "E2Grow"),
        "purpose": (
            "Inzicht in eigen functioneren en communicatie binnen een organisatie, samen met "
            "collega's.",
            "Insight into your own performance and communication within an organisation, "
            "together with colleagues.",
        ),
        "subjects": ["trainee", "client"],
        "data": ["contact-details", "profile"],
        "bases": ["b", "a"],
        "basis_note": (
            "Overeenkomst; je profiel is alleen zichtbaar voor collega's als je daar zelf "
            "voor kiest (uitdrukkelijke toestemming). Standaard is het verborgen: een vooraf "
            "aangevinkte keuze is geen toestemming.",
            "Contract; your profile is visible to colleagues only if you choose so yourself "
            "(explicit consent). It is hidden by default: a pre-ticked choice is no consent.",
        ),
        "recipients": ["e2grow"],
        "retention": (
            "Je kunt je account op ieder moment laten verwijderen. Anders worden je gegevens "
            "3 maanden na afloop van je laatste traject verwijderd (zonder traject: 3 maanden "
            "na het einde van de zakelijke relatie), tenzij je opnieuw toestemming geeft om "
            "ze tot een afgesproken datum te bewaren. Leafspring vraagt E2Grow dan ook het "
            "account zelf te verwijderen.",
            "You can have your account deleted at any time. Otherwise your data is deleted 3 "
            "months after your last trajectory has ended (without a trajectory: 3 months "
            "after the business relationship ended), unless you give new consent to keep it "
            "until an agreed date. Leafspring then also asks E2Grow to delete the account "
            "itself.",
        ),
        "source": FROM_YOU,
        "requirement": "contractual",
        "consequence": NO_CONTRACT,
        "consent": (
            "Ik geef toestemming dat mijn profiel in E2Grow zichtbaar is voor mijn collega's. "
            "Ik kan dit zelf aanpassen.",
            "I consent to my E2Grow profile being visible to my colleagues. I can change this "
            "myself.",
        ),
    },
    {
        "number": 14,
        "key": "videoconferencing",
        "name": ("Videoconferencing", "Videoconferencing"),
        "purpose": (
            "Online bijeenkomsten en traineeship-sessies.",
            "Online meetings and traineeship sessions.",
        ),
        "subjects": ["trainee", "client", "mentor", "trainer-coach"],
        "data": ["image"],
        "bases": ["b", "a"],
        "basis_note": (
            "Overeenkomst; opnemen of delen alleen met expliciete toestemming.",
            "Contract; recording or sharing only with explicit consent.",
        ),
        "recipients": ["zoom"],
        "retention": ("Wordt niet bewaard.", "Not stored."),
        "source": FROM_YOU,
        "requirement": "voluntary",
        "consequence": ("Je kunt dan niet online deelnemen.", "You cannot take part online then."),
        "consent": (
            "Ik geef toestemming voor het opnemen of delen van beeldmateriaal van deze "
            "bijeenkomst.",
            "I consent to recording or sharing images of this meeting.",
        ),
    },
    {
        "number": 15,
        "key": "study-trips",
        "name": ("Studiereizen (MeetIn)", "Study trips (MeetIn)"),
        "purpose": (
            "Je gegevens aan MeetIn verstrekken voor een studiereis of informatie erover.",
            "Passing your details to MeetIn for a study trip or information about it.",
        ),
        "subjects": ["client", "trainee", "contact-requester"],
        "data": ["contact-details"],
        "bases": ["a"],
        "basis_note": ("Expliciete toestemming.", "Explicit consent."),
        "recipients": ["meetin"],
        "retention": (
            "Tot je je toestemming intrekt. Gegevens die aan MeetIn zijn doorgegeven, worden "
            "hier 3 maanden na het doorgeven verwijderd; MeetIn bewaart zijn eigen kopie als "
            "zelfstandige verwerkingsverantwoordelijke.",
            "Until you withdraw your consent. Details passed on to MeetIn are deleted here 3 "
            "months after they were passed on; MeetIn keeps its own copy as an independent "
            "controller.",
        ),
        "source": FROM_YOU,
        "requirement": "voluntary",
        "consequence": (
            "MeetIn ontvangt je gegevens dan niet.",
            "MeetIn will not receive your details then.",
        ),
        "consent": (
            "Ik geef Leafspring toestemming mijn naam, e-mailadres, telefoonnummer en "
            "bedrijfsnaam aan MeetIn te verstrekken.",
            "I consent to Leafspring passing my name, e-mail address, phone number and "
            "company name to MeetIn.",
        ),
    },
    {
        "number": 16,
        "key": "suppliers",
        "name": (
            "(Potentiële) dienstverleners, waaronder trainers/coaches",
            "(Prospective) suppliers, including trainers/coaches",
        ),
        "purpose": (
            "De overeenkomst met dienstverleners uitvoeren en hun facturen voldoen.",
            "Performing the contract with suppliers and paying their invoices.",
        ),
        "subjects": ["supplier-contact", "trainer-coach"],
        "data": ["contact-details", "financial"],
        "bases": ["a", "b", "c"],
        "recipients": ["financial-administration"],
        "retention": ("7 jaar (fiscale bewaarplicht).", "7 years (fiscal retention duty)."),
        "source": ("Van de dienstverlener", "From the supplier"),
        "requirement": "statutory",
        "consequence": NO_CONTRACT,
    },
    {
        "number": 17,
        "key": "certification-research",
        "name": ("Certificering en onderzoek", "Certification and research"),
        "purpose": (
            "NOBCO-certificering en (wetenschappelijk) onderzoek met geanonimiseerde evaluaties.",
            "NOBCO certification and (scientific) research with anonymised evaluations.",
        ),
        "subjects": ["trainee", "client"],
        "data": ["evaluation"],
        "bases": ["f", "a"],
        "legitimate_interest": (
            "Certificering van de kwaliteit van de coaching (NOBCO).",
            "Certification of the quality of the coaching (NOBCO).",
        ),
        "recipients": ["nobco", "coaching-monitor"],
        "retention": ("Maximaal 5 jaar.", "At most 5 years."),
        "source": ("Coaching Monitor (geanonimiseerd)", "Coaching Monitor (anonymised)"),
        "requirement": "voluntary",
        "consequence": ("Geen gevolgen voor jou.", "No consequences for you."),
    },
    {
        "number": 18,
        "key": "privacy-administration",
        "name": (
            "Privacyadministratie: toestemmingen en verzoeken",
            "Privacy administration: consents and requests",
        ),
        "purpose": (
            "Kunnen aantonen welke toestemmingen zijn gegeven, hoe verzoeken van "
            "betrokkenen zijn afgehandeld en welke datalekken er waren en wat we eraan "
            "deden (verantwoordingsplicht).",
            "Being able to prove which consents were given, how data subject requests "
            "were handled, and which personal-data breaches occurred and what we did about "
            "them (accountability).",
        ),
        "subjects": [key for key, *_ in SUBJECT_CATEGORIES if key != "website-visitor"],
        "data": ["contact-details", "consent-records", "audit-trail", "breach-records"],
        "bases": ["c"],
        "basis_note": (
            "Art. 5(2), 7(1), 12 en 33 lid 5 AVG.",
            "Art. 5(2), 7(1), 12 and 33(5) GDPR.",
        ),
        "retention": (
            "Toestemmingen zolang de onderliggende gegevens bestaan. Van een afgehandeld "
            "verzoek van iemand van wie we geen gegevens meer hebben, houden we 12 maanden "
            "na de afronding alleen het kenmerk, het recht, de data, de status en het "
            "verloop over; naam, e-mailadres, toelichting en antwoord worden dan "
            "verwijderd. 5 jaar na de afronding wordt het verzoek met zijn verloop "
            "verwijderd, en het logboek van handelingen 5 jaar na iedere handeling: zo "
            "lang kan de toezichthouder een boete opleggen en kan een schadevordering "
            "worden ingesteld. Het e-mailadres bij een link naar de toestemmingenpagina "
            "bewaren we hooguit 26 uur (de link werkt 24 uur, de pagina daarna nog 1 uur). "
            "De vastlegging van een datalek bewaren we 5 jaar na het afsluiten ervan; wie "
            "we wissen, wordt daarin alleen losgekoppeld. Wie welke gegevens heeft ingezien "
            "(de pagina van een persoon, een inzagepakket, bijzondere persoonsgegevens), "
            "leggen we vast en bewaren we 1 jaar.",
            "Consents as long as the underlying data exists. Of a closed request from "
            "someone whose data we no longer hold, 12 months after closing we keep only the "
            "reference, the right, the dates, the status and the trail of actions; name, "
            "e-mail address, details and answer are then removed. 5 years after closing the "
            "request is deleted with its trail, and the log of actions 5 years after each "
            "action: that long the supervisory authority may impose a fine and a claim for "
            "damages may be brought. The e-mail address of a link to the consent page is "
            "kept at most 26 hours (the link works 24 hours, the page 1 hour after that). "
            "The record of a personal-data breach is kept 5 years after it was closed; a "
            "person we erase is only unlinked from it. Who read whose data (a person's page, "
            "an access package, special-category data) is logged and kept 1 year.",
        ),
        "source": FROM_YOU,
        "requirement": "statutory",
        "consequence": (
            "Je verzoek kan dan niet worden afgehandeld.",
            "Your request cannot be handled then.",
        ),
    },
    {
        "number": 19,
        "key": "suppression-list",
        "name": ("Afmeldlijst direct marketing", "Direct-marketing suppression list"),
        "purpose": (
            "Zorgen dat wie zich heeft afgemeld of bezwaar heeft gemaakt tegen direct "
            "marketing nooit meer wordt gemaild, ook niet als het adres later opnieuw bij "
            "ons binnenkomt.",
            "Making sure that whoever unsubscribed or objected to direct marketing is never "
            "mailed again, even when the address reaches us again later.",
        ),
        "subjects": ["newsletter-subscriber", "client", "brochure-requester"],
        "data": ["suppression-hash"],
        "bases": ["c"],
        "basis_note": (
            "Art. 21 lid 3 en 17 lid 3 sub b AVG: na bezwaar mogen je gegevens niet meer "
            "voor direct marketing worden gebruikt. We bewaren alleen een versleutelde "
            "vingerafdruk van je e-mailadres, niet het adres zelf.",
            "Art. 21(3) and 17(3)(b) GDPR: after an objection your data may no longer be "
            "used for direct marketing. We keep only a keyed fingerprint of your e-mail "
            "address, not the address itself.",
        ),
        "retention": (
            "Zolang je afmelding of bezwaar geldt; meld je je zelf opnieuw aan (met "
            "bevestiging vanaf je eigen adres), dan vervalt hij.",
            "As long as your unsubscribe or objection stands; if you sign up again yourself "
            "(confirmed from your own address), it ends.",
        ),
        "source": FROM_YOU,
        "requirement": "statutory",
        "consequence": (
            "Zonder deze lijst zouden we je na een afmelding opnieuw kunnen mailen.",
            "Without this list we could mail you again after you unsubscribed.",
        ),
    },
]

# The purpose of each activity's first consent wording ("consent" above, version 1).
FIRST_WORDING_PURPOSE = {
    "contact-form": "contact-2020",
    "brochure": "brochure-2020",
    "newsletter": "newsletter",
    "traineeship-participants": "allergies",
    "coaching-monitor": "monitor-demographics",
    "e2grow": "e2grow-visibility",
    "videoconferencing": "video-recording",
    "study-trips": "meetin",
}

# Consent wordings for purposes that the first wordings did not cover: (purpose, activity
# key, version, nl, en).
CONSENT_WORDINGS = [
    (
        "brochure-call",
        "brochure",
        1,
        "Ja, Leafspring mag mij binnen 3 maanden bellen over het traineeship-programma.",
        "Yes, Leafspring may call me about the traineeship programme within 3 months.",
    ),
    (
        "coaching-health",
        "traineeship-participants",
        1,
        "Ik geef Leafspring uitdrukkelijk toestemming om informatie over mijn gezondheid "
        "die ik in coachgesprekken deel, vast te leggen in de gespreksaantekeningen.",
        "I explicitly consent to Leafspring recording information about my health that I "
        "share in coaching conversations in the conversation notes.",
    ),
    (
        "monitor-research",
        "coaching-monitor",
        1,
        "Ik geef toestemming om mijn antwoorden na afloop van het traject geanonimiseerd "
        "te gebruiken voor onderzoek en NOBCO-certificering (maximaal 5 jaar).",
        "I consent to my answers being used, anonymised, for research and NOBCO "
        "certification after the trajectory ends (at most 5 years).",
    ),
    (
        "clifton-keep",
        "clifton-strengths",
        1,
        "Ik geef Leafspring toestemming mijn CliftonStrengths-gegevens (naam, e-mailadres "
        "en resultaten) na afloop van mijn traject te bewaren tot de datum die ik heb "
        "afgesproken.",
        "I consent to Leafspring keeping my CliftonStrengths data (name, e-mail address and "
        "results) after my trajectory has ended, until the date I agreed.",
    ),
    (
        "e2grow-keep",
        "e2grow",
        1,
        "Ik geef Leafspring toestemming mijn E2Grow-gegevens (naam, e-mailadres, "
        "werkgegevens en sterkteprofiel) na afloop van mijn traject te bewaren tot de datum "
        "die ik heb afgesproken.",
        "I consent to Leafspring keeping my E2Grow data (name, e-mail address, work details "
        "and strengths profile) after my trajectory has ended, until the date I agreed.",
    ),
]

# key, name nl/en, description nl/en, limit, unit, anchor, clock nl/en, action, every hours,
# legal article, activities
RETENTION_RULES = [
    {
        "key": "ip-4w",
        "name": ("IP-adressen na 4 weken", "IP addresses after 4 weeks"),
        "description": (
            "Websitebezoeken (IP-adres, besturingssysteem, browser) worden uiterlijk 4 weken "
            "na het bezoek verwijderd.",
            "Website visits (IP address, operating system, browser) are deleted at most 4 "
            "weeks after the visit.",
        ),
        "limit": (4, "weeks"),
        "clock": ("het bezoek", "the visit"),
        "action": "delete",
        "every": 1,
        "activities": ["website-security"],
    },
    {
        "key": "login-4w",
        "name": ("Inlogpogingen na 4 weken", "Sign-in attempts after 4 weeks"),
        "description": (
            "Inlogpogingen op de medewerkerskant (IP-adres, browser, ingetypte "
            "gebruikersnaam) en de blokkades die erop volgen worden uiterlijk 4 weken na de "
            "poging verwijderd.",
            "Sign-in attempts on the staff side (IP address, browser, the user name typed) "
            "and the locks they led to are deleted at most 4 weeks after the attempt.",
        ),
        "limit": (4, "weeks"),
        "clock": ("de poging", "the attempt"),
        "action": "delete",
        "every": 1,
        "activities": ["website-security"],
    },
    {
        "key": "reads-1y",
        "name": ("Leeslog na 1 jaar", "Read log after 1 year"),
        "description": (
            "Wie welke persoonsgegevens heeft ingezien (de pagina van een persoon, een "
            "inzage- of overdrachtspakket, bijzondere persoonsgegevens) wordt 1 jaar "
            "bewaard en daarna verwijderd.",
            "Who read whose personal data (a person's page, an access or portability "
            "package, special-category data) is kept 1 year, then deleted.",
        ),
        "limit": (1, "years"),
        "clock": ("het inzien", "the read"),
        "action": "delete",
        "every": 24,
        "activities": ["privacy-administration"],
    },
    {
        "key": "contact-review",
        "name": ("Contactberichten beoordelen", "Review contact messages"),
        "description": (
            "Contactformulieren en e-mails worden regelmatig beoordeeld en verwijderd zodra "
            "ze niet meer nodig zijn.",
            "Contact forms and e-mails are reviewed regularly and deleted once no longer needed.",
        ),
        "limit": (90, "days"),
        "clock": ("ontvangst", "receipt"),
        "action": "review",
        "every": 24,
        "review_every_days": 90,
        "activities": ["contact-form"],
    },
    {
        "key": "unsubscribe-6w",
        "name": (
            "Nieuwsbriefgegevens 6 weken na uitschrijven",
            "Newsletter data 6 weeks after unsubscribing",
        ),
        "description": (
            "Na uitschrijven stopt de nieuwsbrief per direct; de gegevens worden binnen 6 "
            "weken verwijderd.",
            "After unsubscribing the newsletter stops at once; the data is deleted within 6 weeks.",
        ),
        "limit": (6, "weeks"),
        "clock": ("het uitschrijven", "the unsubscribe"),
        "action": "delete",
        "every": 24,
        "activities": ["newsletter"],
    },
    {
        "key": "fiscal-7y",
        "name": ("Fiscale bewaarplicht 7 jaar", "Fiscal retention 7 years"),
        "description": (
            "Grootboek, debiteuren- en crediteurenadministratie, verkoopadministratie, "
            "zakelijke e-mails, klant- en leveranciersgegevens: 7 jaar bewaren, daarna "
            "verwijderen.",
            "Ledger, debtors and creditors, sales records, business e-mail, client and "
            "supplier data: keep 7 years, then delete.",
        ),
        "limit": (7, "years"),
        "anchor": "end-of-book-year",
        "clock": ("het einde van het boekjaar", "the end of the book year"),
        "action": "delete",
        "every": 24,
        "article": "art. 52 AWR; art. 2:10 BW",
        "activities": [
            "email-correspondence",
            "services",
            "invoicing",
            "traineeship-organisations",
            "suppliers",
        ],
    },
    {
        "key": "coaching-end",
        "name": (
            "Coaching-inhoud aan het einde van het traject",
            "Coaching content at the end of the trajectory",
        ),
        "description": (
            "Inhoud van coaching en aantekeningen van gesprekken worden na afloop van het "
            "traject verwijderd.",
            "Coaching content and conversation notes are deleted at the end of the trajectory.",
        ),
        "limit": (0, "days"),
        "clock": ("het einde van het traject", "the end of the trajectory"),
        "action": "delete",
        "every": 24,
        "activities": ["traineeship-participants"],
    },
    {
        "key": "monitor-end",
        "name": (
            "Coaching Monitor aan het einde van het traject",
            "Coaching Monitor at the end of the trajectory",
        ),
        "description": (
            "Gegevens in de Coaching Monitor worden na afloop verwijderd. Alleen met "
            "toestemming voor onderzoek worden ze geanonimiseerd: zonder naam, traject, "
            "data, demografische gegevens en vrije tekst; alleen de antwoorden op een schaal "
            "blijven, maximaal 5 jaar (regel nobco-5y).",
            "Coaching Monitor data is deleted at the end. Only with consent for research is "
            "it anonymised: without name, trajectory, dates, demographics and free text; "
            "only the answers on a scale remain, for at most 5 years (rule nobco-5y).",
        ),
        "limit": (0, "days"),
        "clock": ("het einde van het traject", "the end of the trajectory"),
        "action": "anonymise",
        "every": 24,
        "activities": ["coaching-monitor"],
    },
    {
        "key": "nobco-5y",
        "name": (
            "Geanonimiseerde evaluaties maximaal 5 jaar",
            "Anonymised evaluations at most 5 years",
        ),
        "description": (
            "Geanonimiseerde klantevaluaties, ook de voor onderzoek geanonimiseerde "
            "antwoorden uit de Coaching Monitor, worden maximaal 5 jaar bewaard voor "
            "hercertificering bij de NOBCO en onderzoek.",
            "Anonymised client evaluations, including the Coaching Monitor answers "
            "anonymised for research, are kept at most 5 years for NOBCO re-certification "
            "and research.",
        ),
        "limit": (5, "years"),
        "clock": (
            "de evaluatie; bij de Coaching Monitor de anonimisering",
            "the evaluation; for the Coaching Monitor the anonymisation",
        ),
        "action": "delete",
        "every": 24,
        "activities": ["certification-research"],
    },
    {
        "key": "tools-on-demand",
        "name": (
            "CliftonStrengths- en E2Grow-accounts op verzoek",
            "CliftonStrengths and E2Grow accounts on request",
        ),
        "description": (
            "Een gebruikersaccount kan op ieder moment door de gebruiker worden verwijderd.",
            "A user account can be deleted by its user at any time.",
        ),
        "limit": (0, "days"),
        "clock": ("het verzoek", "the request"),
        "action": "delete",
        "every": 1,
        "activities": ["clifton-strengths", "e2grow"],
    },
    {
        "key": "video-none",
        "name": ("Videobeelden worden niet bewaard", "Video images are not stored"),
        "description": (
            "Beeldmateriaal van videoconferencing wordt niet door Leafspring bewaard.",
            "Videoconferencing images are not stored by Leafspring.",
        ),
        "limit": (0, "days"),
        "clock": ("—", "—"),
        "action": "never-stored",
        "every": 24,
        "activities": ["videoconferencing"],
    },
    {
        "key": "brochure-3m",
        "name": (
            "Brochure-opvolging eindigt na 3 maanden",
            "Brochure follow-up ends after 3 months",
        ),
        "description": (
            "Binnen 3 maanden wordt contact opgenomen over de interesse; daarna wordt de "
            "aanvraag verwijderd (de mailing loopt via de nieuwsbrief door tot uitschrijven).",
            "Contact about the interest is made within 3 months; then the request is deleted "
            "(the mailing continues through the newsletter until unsubscribing).",
        ),
        "limit": (3, "months"),
        "clock": ("de aanvraag", "the request"),
        "action": "delete",
        "every": 24,
        "activities": ["brochure"],
    },
    {
        "key": "breach-5y",
        "name": (
            "Datalekregister 5 jaar na afsluiten",
            "Breach register 5 years after closing",
        ),
        "description": (
            "De vastlegging van een datalek (wat er gebeurde, de gevolgen, de maatregelen, "
            "de melding aan de Autoriteit Persoonsgegevens en aan de betrokkenen) wordt 5 "
            "jaar na het afsluiten verwijderd (tot 5 jaar na een overtreding kan de "
            "toezichthouder er een boete voor opleggen, art. 5:45 Awb). Wordt een "
            "betrokkene eerder gewist, dan wordt alleen de "
            "koppeling met die persoon losgemaakt; de vastlegging van het lek blijft.",
            "The record of a personal-data breach (what happened, the consequences, the "
            "measures, the notification to the Autoriteit Persoonsgegevens and to the people "
            "affected) is deleted 5 years after it was closed (the supervisory authority "
            "can fine an infringement up to 5 years after it, art. 5:45 Awb). A person "
            "erased earlier is only "
            "unlinked from it; the record of the breach stays.",
        ),
        "limit": (5, "years"),
        "clock": ("het afsluiten van het incident", "the closing of the incident"),
        "action": "delete",
        "every": 24,
        "article": "art. 33 lid 5 AVG; art. 5:45 Awb",
        "activities": ["privacy-administration"],
    },
]

# Limits added for what had none (storage limitation, Art. 5(1)(e)).
RETENTION_RULES += [
    {
        "key": "meetin-3m",
        "name": (
            "MeetIn-doorverwijzingen 3 maanden na het doorgeven",
            "MeetIn referrals 3 months after passing them on",
        ),
        "description": (
            "Gegevens die met toestemming aan MeetIn zijn doorgegeven voor een studiereis, "
            "worden hier 3 maanden na het doorgeven verwijderd: de doorverwijzing heeft dan "
            "haar werk gedaan. MeetIn bewaart zijn eigen kopie als zelfstandige "
            "verwerkingsverantwoordelijke. Een doorverwijzing die nog niet is doorgegeven, "
            "blijft zolang de toestemming geldt.",
            "Details passed on to MeetIn for a study trip, with consent, are deleted here 3 "
            "months after they were passed on: the referral has done its work by then. "
            "MeetIn keeps its own copy as an independent controller. A referral not yet "
            "passed on stays as long as the consent stands.",
        ),
        "limit": (3, "months"),
        "clock": ("het doorgeven aan MeetIn", "passing them on to MeetIn"),
        "action": "delete",
        "every": 24,
        "activities": ["study-trips"],
    },
    {
        "key": "tools-after-end",
        "name": (
            "CliftonStrengths- en E2Grow-accounts na afloop van het traject",
            "CliftonStrengths and E2Grow accounts after the trajectory",
        ),
        "description": (
            "De gegevens van een CliftonStrengths- of E2Grow-account worden 3 maanden na "
            "afloop van het laatste traject van de persoon verwijderd (zonder traject: 3 "
            "maanden na het einde van de zakelijke relatie; zonder beide: 3 maanden na het "
            "aanmaken), tenzij de persoon opnieuw toestemming gaf om ze tot een afgesproken "
            "datum te bewaren. Voor Gallup of E2Grow, die het account zelf hebben, ontstaat "
            "dan een taak om het daar te laten verwijderen (art. 19 AVG).",
            "The data of a CliftonStrengths or E2Grow account is deleted 3 months after the "
            "person's last trajectory has ended (without a trajectory: 3 months after the "
            "business relationship ended; without either: 3 months after it was created), "
            "unless the person gave new consent to keep it until an agreed date. Gallup or "
            "E2Grow, who hold the account itself, then get a task to have it deleted there "
            "(Art. 19 GDPR).",
        ),
        "limit": (3, "months"),
        "clock": ("het einde van het laatste traject", "the end of the last trajectory"),
        "action": "delete",
        "every": 24,
        "activities": ["clifton-strengths", "e2grow"],
    },
    {
        "key": "trajectory-review",
        "name": (
            "Trajecten zonder einddatum beoordelen",
            "Review trajectories without an end date",
        ),
        "description": (
            "Een traject zonder einddatum komt 12 maanden na de start bij de medewerkers "
            "ter beoordeling: zij leggen de einddatum vast, of houden het open met een "
            "reden en een nieuwe beoordelingsdatum (uiterlijk een jaar later). Zo bereiken "
            "gespreksaantekeningen, deelnemersprofielen en Coaching Monitor-gegevens, die "
            "na afloop van het traject gaan, hun einde.",
            "A trajectory without an end date comes before staff for review 12 months after "
            "its start: they set its end date, or keep it open with a reason and a new "
            "review date (at most a year later). So conversation notes, trainee profiles "
            "and Coaching Monitor data, which go at the end of the trajectory, reach their "
            "end.",
        ),
        "limit": (12, "months"),
        "clock": ("de start van het traject", "the start of the trajectory"),
        "action": "review",
        "every": 24,
        "activities": ["traineeship-participants", "coaching-monitor"],
    },
    {
        "key": "audit-5y",
        "name": ("Logboek van handelingen 5 jaar", "Audit trail 5 years"),
        "description": (
            "Iedere regel van het logboek van handelingen op persoonsgegevens wordt 5 jaar "
            "na de handeling verwijderd. Zo lang moet Leafspring kunnen aantonen wat er is "
            "gebeurd (art. 5 lid 2 AVG): de Autoriteit Persoonsgegevens kan tot 5 jaar na "
            "een overtreding een boete opleggen (art. 5:45 Awb) en een schadevordering "
            "verjaart na 5 jaar (art. 3:310 BW). Een regel over iemand voor wie een "
            "juridische bewaarplicht geldt, blijft tot die afloopt.",
            "Every entry of the log of actions on personal data is deleted 5 years after the "
            "action. That long Leafspring must be able to show what happened (Art. 5(2) "
            "GDPR): the Dutch supervisory authority may impose a fine up to 5 years after a "
            "violation (art. 5:45 Awb) and a claim for damages lapses after 5 years (art. "
            "3:310 BW). An entry about someone under a legal hold stays until the hold ends.",
        ),
        "limit": (5, "years"),
        "clock": ("de handeling", "the action"),
        "action": "delete",
        "every": 24,
        "article": "art. 5 lid 2 AVG; art. 5:45 Awb; art. 3:310 BW",
        "activities": ["privacy-administration"],
    },
    {
        "key": "requests-5y",
        "name": ("Afgehandelde verzoeken 5 jaar", "Closed requests 5 years"),
        "description": (
            "Een afgehandeld verzoek van een betrokkene wordt 5 jaar na de afronding "
            "verwijderd, met zijn verloop, de taken voor ontvangers, het "
            "verwijderingsverslag en de antwoordbestanden; een taak voor een ontvanger "
            "buiten een verzoek om 5 jaar nadat hij is afgehandeld. Zo lang moet Leafspring "
            "kunnen aantonen hoe het verzoek is afgehandeld (art. 5 lid 2 en 12 AVG; art. "
            "5:45 Awb; art. 3:310 BW). Een verzoek van iemand voor wie een juridische "
            "bewaarplicht geldt, blijft tot die afloopt.",
            "A closed data subject request is deleted 5 years after it closed, with its "
            "trail, the tasks for recipients, the erasure record and the answer files; a "
            "task for a recipient outside a request 5 years after it was resolved. That "
            "long Leafspring must be able to show how the request was handled (Art. 5(2) "
            "and 12 GDPR; art. 5:45 Awb; art. 3:310 BW). A request of someone under a legal "
            "hold stays until the hold ends.",
        ),
        "limit": (5, "years"),
        "clock": ("de afronding van het verzoek", "the closing of the request"),
        "action": "delete",
        "every": 24,
        "article": "art. 5 lid 2 AVG; art. 5:45 Awb; art. 3:310 BW",
        "activities": ["privacy-administration"],
    },
]

LEGAL_HOLDS = [
    {
        "key": "fiscal",
        "name": ("Fiscale bewaarplicht", "Fiscal retention duty"),
        "ground": (
            "Wettelijke verplichting om de administratie 7 jaar te bewaren; gaat voor op "
            "verwijdering (art. 17 lid 3 onder b AVG). De gegevens worden beperkt verwerkt "
            "en na afloop verwijderd.",
            "Legal obligation to keep the books for 7 years; overrides erasure (Art. 17(3)(b) "
            "GDPR). The data is restricted and deleted when the period ends.",
        ),
        "article": "art. 52 AWR; art. 2:10 BW",
        "rule": "fiscal-7y",
    },
]

# The public privacy statement (issue 10): what the statement and the Art. 14 notices need
# beyond the fields above. Loaded by ``processing.register.statement_fields_load``.

# Categories of data subjects whose data, in an activity, comes from someone else rather
# than from the person (Art. 14): they are e-mailed the Art. 14 notice of the activity.
INDIRECT_SUBJECT_CATEGORIES = {
    "services": ["client-organisation-contact"],
    "invoicing": ["client-organisation-contact"],
    "traineeship-organisations": ["client-organisation-contact"],
    "traineeship-participants": ["trainee"],
    "mentor": ["mentor"],
    "suppliers": ["supplier-contact"],
}

# Profiling and automated decisions, as they really are (Art. 13(2)(f), 14(2)(g)).
PROFILING = {
    "clifton-strengths": (
        "De CliftonStrengths-vragenlijst levert een profiel op van je talenten en sterke "
        "punten (een persoonlijkheidsprofiel): dat is profilering. Het profiel beschrijft, "
        "het beslist niets. Jij en je coach gebruiken het in gesprekken over je "
        "ontwikkeling. Geen enkel besluit over jou berust alleen op dit profiel.",
        "The CliftonStrengths assessment produces a profile of your talents and strengths "
        "(a personality profile): that is profiling. The profile describes, it decides "
        "nothing. You and your coach use it in conversations about your development. No "
        "decision about you rests on this profile alone.",
    ),
    "e2grow": (
        "E2Grow toont je sterkteprofiel, gebaseerd op de CliftonStrengths-vragenlijst, zodat "
        "jij en je collega's zien hoe je werkt en communiceert: ook dat is profilering. "
        "Collega's zien je profiel alleen als je daar zelf voor kiest. Geen enkel besluit "
        "over jou berust alleen op dit profiel.",
        "E2Grow shows your strengths profile, based on the CliftonStrengths assessment, so "
        "that you and your colleagues see how you work and communicate: that is profiling "
        "too. Colleagues see your profile only if you choose so yourself. No decision about "
        "you rests on this profile alone.",
    ),
}

_DPF_LIST = "https://www.dataprivacyframework.gov/list"


def _dpf_copy(name: str) -> tuple[str, str]:
    return (
        f"{name} is gecertificeerd onder het EU-VS Data Privacy Framework; de "
        f"adequaatheidsbeslissing van de Europese Commissie en de certificering van {name} "
        f"staan op de openbare lijst: {_DPF_LIST}",
        f"{name} is certified under the EU-US Data Privacy Framework; the European "
        f"Commission's adequacy decision and {name}'s certification are on the public list: "
        f"{_DPF_LIST}",
    )


# key: name in English ("": the same), country in English, where a copy of the transfer
# safeguard can be obtained (nl, en).
RECIPIENT_STATEMENT = {
    "hosting": ("Hosting party", "Netherlands", None),
    "web-administrator": ("Web administrator", "Netherlands", None),
    "financial-administration": ("Financial administration", "Netherlands", None),
    "zoom": ("", "United States", _dpf_copy("Zoom")),
    "mailchimp": ("", "United States", _dpf_copy("Mailchimp")),
    "microsoft-365": ("", "United States", _dpf_copy("Microsoft")),
    "meetin": ("", "Netherlands", None),
    "e2grow": ("", "Netherlands", None),
    "coaching-monitor": ("", "Netherlands", None),
    "gallup": (
        "",
        "United States",
        (
            "Een kopie van de standaardcontractbepalingen die met Gallup zijn overeengekomen, "
            "kun je per e-mail opvragen bij info@leafspring.nl.",
            "A copy of the standard contractual clauses agreed with Gallup can be requested "
            "by e-mail from info@leafspring.nl.",
        ),
    ),
    "trainers-coaches": ("", "Netherlands", None),
    "nobco": ("", "Netherlands", None),
}
