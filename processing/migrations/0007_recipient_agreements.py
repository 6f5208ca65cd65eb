"""Recipients: the role of a joint controller and a note where the role differs per
purpose, the agreement's document in private storage, the evidence of a transfer outside
the EEA, the English country name, and the log of compliance checks (RecipientCheck)."""

import django.db.models.deletion
import django.utils.timezone
import processing.storage
from django.conf import settings
from django.db import migrations, models



def recipient_details(apps, schema_editor):
    from processing.register import recipient_details_load

    recipient_details_load(apps)


class Migration(migrations.Migration):

    dependencies = [
        ('processing', '0006_consent_keep_tool_accounts'),
        # The recipients are loaded there.
        ('retention', '0007_storage_limits'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='recipient',
            name='country_en',
            field=models.CharField(blank=True, max_length=100, verbose_name='country (English)'),
        ),
        migrations.AddField(
            model_name='recipient',
            name='dpf_checked_on',
            field=models.DateField(blank=True, help_text='The day the active certification was looked up on the DPF list.', null=True, verbose_name='Data Privacy Framework certification checked on'),
        ),
        migrations.AddField(
            model_name='recipient',
            name='dpf_listed_as',
            field=models.CharField(blank=True, max_length=200, verbose_name='organisation name on the DPF list'),
        ),
        migrations.AddField(
            model_name='recipient',
            name='processing_agreement_document',
            field=models.FileField(blank=True, editable=False, max_length=200, storage=processing.storage.agreement_storage, upload_to=processing.storage.agreement_upload_to, verbose_name='agreement document (PDF)'),
        ),
        migrations.AddField(
            model_name='recipient',
            name='processing_agreement_uploaded_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='document uploaded at'),
        ),
        migrations.AddField(
            model_name='recipient',
            name='processing_agreement_uploaded_by',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='document uploaded by'),
        ),
        migrations.AddField(
            model_name='recipient',
            name='role_note_en',
            field=models.TextField(blank=True, verbose_name='role explained (English)'),
        ),
        migrations.AddField(
            model_name='recipient',
            name='role_note_nl',
            field=models.TextField(blank=True, help_text='Where the role differs per purpose, e.g. a processor that is a controller for its own research.', verbose_name='role explained (Dutch)'),
        ),
        migrations.AddField(
            model_name='recipient',
            name='scc_module',
            field=models.CharField(blank=True, choices=[('', 'no standard contractual clauses'), ('1', 'module 1: controller to controller'), ('2', 'module 2: controller to processor'), ('3', 'module 3: processor to processor'), ('4', 'module 4: processor to controller')], default='', max_length=1, verbose_name='SCC module'),
        ),
        migrations.AddField(
            model_name='recipient',
            name='scc_version',
            field=models.CharField(blank=True, help_text='For example: Implementing Decision (EU) 2021/914.', max_length=100, verbose_name='SCC version'),
        ),
        migrations.AddField(
            model_name='recipient',
            name='transfer_assessment_on',
            field=models.DateField(blank=True, null=True, verbose_name='transfer impact assessment dated'),
        ),
        migrations.AlterField(
            model_name='recipient',
            name='kind',
            field=models.CharField(choices=[('processor', 'processor'), ('controller', 'independent controller'), ('joint-controller', 'joint controller (Art. 26)')], max_length=20, verbose_name='role'),
        ),
        migrations.AlterField(
            model_name='recipient',
            name='next_review_on',
            field=models.DateField(blank=True, help_text='When the agreement itself is next read against the law and the service.', null=True, verbose_name='agreement to be reviewed on'),
        ),
        migrations.AlterField(
            model_name='recipient',
            name='processing_agreement_date',
            field=models.DateField(blank=True, null=True, verbose_name='agreement signed on'),
        ),
        migrations.AlterField(
            model_name='recipient',
            name='processing_agreement_version',
            field=models.CharField(blank=True, max_length=50, verbose_name='agreement version'),
        ),
        migrations.CreateModel(
            name='RecipientCheck',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('checked_on', models.DateField(verbose_name='checked on')),
                ('checked_by_name', models.CharField(max_length=150, verbose_name='checked by')),
                ('outcome', models.CharField(choices=[('compliant', 'compliant'), ('actions', 'compliant, with agreed improvements'), ('non-compliant', 'not compliant')], max_length=20, verbose_name='outcome')),
                ('findings', models.TextField(verbose_name='what was checked and found')),
                ('next_check_on', models.DateField(verbose_name='next check due on')),
                ('recorded_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='recorded at')),
                ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='checks', to='processing.recipient', verbose_name='recipient')),
                ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
            ],
            options={
                'verbose_name': 'compliance check',
                'verbose_name_plural': 'compliance checks',
                'ordering': ['-checked_on', '-pk'],
            },
        ),
        migrations.RunPython(recipient_details, migrations.RunPython.noop),
    ]
