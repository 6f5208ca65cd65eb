"""The website visits in daily partitions on PostgreSQL (``retention.visit_partitions``):
rule ip-4w drops a day whose visits are all past the limit instead of deleting them row
by row. The plain table becomes a partitioned one with the same columns, rows and index
names (primary key (id, visited_at)), a default partition, and the daily partitions of
the last five weeks and the coming week. On SQLite this migration does nothing.

For later migrations of this table on PostgreSQL: a column added, an index added or
dropped, the key's type changed work as on a plain table; ``visited_at`` can no longer
become nullable nor change its type (it is in the primary key and is the partition
key), and the table keeps its name (``retention.visit_partitions`` finds it by it)."""

from django.db import migrations
from django.utils import timezone

from retention.visit_partitions import partitioned_table_create, plain_table_restore


def partition(apps, schema_editor):
    partitioned_table_create(schema_editor, timezone.now().date())


def unpartition(apps, schema_editor):
    plain_table_restore(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("subjects", "0020_person_page_indexes")]

    operations = [migrations.RunPython(partition, unpartition, elidable=False)]
