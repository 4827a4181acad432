# ImportJob now belongs to the imports app (imports/0001_initial): removed from this app's state
# only; the table stays.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0005_prune_redundant_indexes'),
        ('imports', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='ImportJob')],
            database_operations=[],
        ),
    ]
