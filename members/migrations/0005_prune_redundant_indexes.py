"""Drop indexes that other indexes already cover or no query can use (issue 5, import speed).

Every index is one more entry written per imported member, placement and history row; at
100.000 imported members these eight cost about 1,3 s of PostgreSQL time. Each dropped one:
- member.grassroots_id and placement.grassroots_id (Django's FK indexes): member_grassroots_idx
  (grassroots, left_on) and placement_stock_idx (grassroots, start_on) start with the column;
- placement_grassroots_idx (grassroots, start_on): placement_stock_idx has the same keys (it is
  created by reports 0003, hence the dependency);
- member_phone_idx: phone is only searched by prefix, through member_phone_prefix_idx
  (varchar_pattern_ops, migration 0003) on PostgreSQL; SQLite's LIKE cannot use it;
- member.search_text (btree and its `_like` twin): the search pattern always starts with `%`;
  the trigram index of migration 0003 serves it;
- historicalmember.cccd (btree and `_like`): the history is read by member and date only.
And placement_end_idx becomes partial (ended stays only): the queries that use it ask for an end
date in a range, and most stays (every newly imported member's) are open.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("grassroots", "0002_search_indexes"),
        ("members", "0004_import_job"),
        ("reports", "0003_placement_stock_index"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="member",
            name="member_phone_idx",
        ),
        migrations.RemoveIndex(
            model_name="placement",
            name="placement_grassroots_idx",
        ),
        migrations.AlterField(
            model_name="historicalmember",
            name="cccd",
            field=models.CharField(max_length=12, verbose_name="số CCCD"),
        ),
        migrations.AlterField(
            model_name="member",
            name="grassroots",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="members",
                to="grassroots.grassrootsunion",
                verbose_name="CĐCS",
            ),
        ),
        migrations.AlterField(
            model_name="member",
            name="search_text",
            field=models.CharField(blank=True, editable=False, max_length=200),
        ),
        migrations.AlterField(
            model_name="placement",
            name="grassroots",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="placements",
                to="grassroots.grassrootsunion",
                verbose_name="CĐCS",
            ),
        ),
        migrations.RemoveIndex(model_name="placement", name="placement_end_idx"),
        migrations.AddIndex(
            model_name="placement",
            index=models.Index(
                condition=models.Q(("end_on__isnull", False)),
                fields=["end_on", "grassroots"],
                name="placement_end_idx",
            ),
        ),
    ]
