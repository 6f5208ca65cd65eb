"""The register as the intake pages need it (DESIGN.md §1.3a, §1.5): the contact form rests
on the request, the brochure on the request with two separate optional consents, health
information in coaching notes needs explicit consent (Art. 9(2)(a)), E2Grow profiles are
hidden until the person opts in, the suppression list is an activity of its own, and the
privacy administration says how long a consent-page link keeps an address.
Consent wordings get the purposes added since, and every wording in use is frozen."""

from django.db import migrations
from django.db.models import Exists, OuterRef
from django.utils import timezone

CHANGED = (
    "contact-form",
    "brochure",
    "traineeship-participants",
    "e2grow",
    "suppression-list",
    "privacy-administration",
    "newsletter",
)


def intake_register(apps, schema_editor):
    from processing.register import activities_load, data_categories_load

    data_categories_load(apps)
    activities_load(apps, keys=CHANGED)
    ConsentText = apps.get_model("processing", "ConsentText")
    Consent = apps.get_model("processing", "Consent")
    ConsentText.objects.filter(
        Exists(Consent.objects.filter(text=OuterRef("pk"))), frozen_at__isnull=True
    ).update(frozen_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [
        ("processing", "0003_consent_ledger"),
        ("retention", "0006_privacy_administration_retention"),
        ("subjects", "0004_consent_ledger"),
    ]

    operations = [migrations.RunPython(intake_register, migrations.RunPython.noop)]
