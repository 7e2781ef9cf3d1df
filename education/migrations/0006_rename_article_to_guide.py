"""One word for one idea: the model, its relations and its indexes say "guide", as the site does.

Renaming keeps every row: the table, the related-guides table and the foreign-key columns
are renamed in place. Django renames the content type after RenameModel; the permissions'
codenames are fixed by 0007.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("education", "0005_guide_name_interval_limits")]

    operations = [
        migrations.RenameModel(old_name="Article", new_name="Guide"),
        migrations.AlterModelOptions(
            name="guide", options={"ordering": ["topic__order", "order", "title"]}
        ),
        migrations.RenameField(model_name="source", old_name="article", new_name="guide"),
        migrations.RenameField(model_name="slugredirect", old_name="article", new_name="guide"),
        migrations.AlterField(
            model_name="guide",
            name="topic",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="guides",
                to="education.topic",
            ),
        ),
        migrations.RenameIndex(
            model_name="guide", new_name="guide_search_idx", old_name="article_search_idx"
        ),
        migrations.RenameIndex(
            model_name="guide",
            new_name="guide_status_featured_idx",
            old_name="article_status_featured_idx",
        ),
        migrations.RenameIndex(
            model_name="guide", new_name="guide_next_review_idx", old_name="article_next_review_idx"
        ),
    ]
