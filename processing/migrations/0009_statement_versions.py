"""The public privacy statement (issue 10): its published versions, the Art. 14 notices,
and what the statement needs beyond the Art. 30 fields, filled for every activity and
recipient in both languages (after the register is loaded, by retention 0002)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def fill_statement_fields(apps, schema_editor):
    from processing.register import statement_fields_load

    statement_fields_load(apps)


class Migration(migrations.Migration):
    dependencies = [
        # Recipient.country_en comes with the recipients' agreements.
        ("processing", "0008_breach_register"),
        ("subjects", "0009_website_visit_tokens_masked"),
        # The register rows this migration fills are loaded by the retention app.
        ("retention", "0009_breach_retention"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="processingactivity",
            name="indirect_subject_categories",
            field=models.ManyToManyField(
                blank=True,
                help_text="People of these categories did not give us this data themselves (a trainee or mentor named by their employer, a contact named by their organisation): they are e-mailed the Art. 14 information within a month.",
                related_name="indirect_activities",
                to="processing.subjectcategory",
                verbose_name="categories whose data comes from someone else (Art. 14)",
            ),
        ),
        migrations.AddField(
            model_name="processingactivity",
            name="profiling_en",
            field=models.TextField(
                blank=True, verbose_name="profiling and automated decisions explained (English)"
            ),
        ),
        migrations.AddField(
            model_name="processingactivity",
            name="profiling_nl",
            field=models.TextField(
                blank=True,
                help_text="What the profile or the automated decision is, its logic and what it means for the person (Art. 13(2)(f)). Empty when there is none.",
                verbose_name="profiling and automated decisions explained (Dutch)",
            ),
        ),
        migrations.AddField(
            model_name="recipient",
            name="name_en",
            field=models.CharField(
                blank=True,
                help_text="Empty: the same.",
                max_length=200,
                verbose_name="name (English)",
            ),
        ),
        migrations.AddField(
            model_name="recipient",
            name="safeguard_copy_en",
            field=models.TextField(
                blank=True, verbose_name="where to get a copy of the safeguard (English)"
            ),
        ),
        migrations.AddField(
            model_name="recipient",
            name="safeguard_copy_nl",
            field=models.TextField(
                blank=True,
                help_text="For a transfer outside the EEA: where a copy of the safeguard can be obtained or is made available (Art. 13(1)(f)). Shown in the privacy statement.",
                verbose_name="where to get a copy of the safeguard (Dutch)",
            ),
        ),
        migrations.CreateModel(
            name="StatementVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveIntegerField(unique=True, verbose_name="version")),
                (
                    "published_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="published at"
                    ),
                ),
                ("text_nl", models.TextField(verbose_name="text (Dutch)")),
                ("text_en", models.TextField(verbose_name="text (English)")),
                (
                    "published_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="published by",
                    ),
                ),
            ],
            options={
                "verbose_name": "privacy statement version",
                "verbose_name_plural": "privacy statement versions",
                "ordering": ["-number"],
                "permissions": [
                    ("publish_statementversion", "Can publish a version of the privacy statement")
                ],
            },
        ),
        migrations.CreateModel(
            name="Art14Notice",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "restricted_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="restricted since"),
                ),
                (
                    "restriction_ground",
                    models.CharField(blank=True, max_length=300, verbose_name="restriction ground"),
                ),
                (
                    "sent_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="informed at"
                    ),
                ),
                (
                    "method",
                    models.CharField(
                        choices=[
                            ("email", "e-mailed by the system"),
                            ("other", "told another way, recorded by staff"),
                        ],
                        default="email",
                        max_length=10,
                        verbose_name="how",
                    ),
                ),
                (
                    "language",
                    models.CharField(
                        choices=[("nl", "Dutch"), ("en", "English")],
                        max_length=2,
                        verbose_name="language",
                    ),
                ),
                ("note", models.TextField(blank=True, verbose_name="note")),
                (
                    "activity",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="art14_notices",
                        to="processing.processingactivity",
                        verbose_name="processing activity",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="recorded by",
                    ),
                ),
                (
                    "subject",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="art14_notices",
                        to="subjects.datasubject",
                        verbose_name="data subject",
                    ),
                ),
            ],
            options={
                "verbose_name": "Art. 14 notice",
                "verbose_name_plural": "Art. 14 notices",
                "ordering": ["-sent_at"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("subject", "activity"), name="one_art14_notice_per_activity"
                    )
                ],
            },
        ),
        migrations.RunPython(fill_statement_fields, migrations.RunPython.noop),
    ]
