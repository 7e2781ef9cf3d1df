"""Search that ignores accents, knows the clinic's pages, synonyms and its own words.

PostgreSQL's contrib modules pg_trgm (similar words, for misspellings) and unaccent are
created if missing: a managed PostgreSQL must allow both. The text search configuration
`english_unaccent` is English stemming after unaccent, for the stored vectors and every
query; the guides' vectors are computed again with it.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.contrib.postgres.operations import CreateExtension
from django.db import migrations, models


class KeptExtension(CreateExtension):
    """CREATE EXTENSION IF NOT EXISTS, as TrigramExtension and UnaccentExtension do, left in
    place when this migration is reversed: intake's search indexes use the same extensions,
    and PostgreSQL refuses to drop an extension an index depends on."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass


# No IF NOT EXISTS for a text search configuration: the block makes one only when missing.
# A managed PostgreSQL may keep its extensions in a schema of their own: the dictionary is
# named with its schema.
CREATE_CONFIGURATION = """
DO $$
DECLARE
    dictionary_schema text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'english_unaccent') THEN
        SELECT extnamespace::regnamespace::text INTO dictionary_schema
            FROM pg_extension WHERE extname = 'unaccent';
        CREATE TEXT SEARCH CONFIGURATION english_unaccent (COPY = english);
        EXECUTE format(
            'ALTER TEXT SEARCH CONFIGURATION english_unaccent '
            'ALTER MAPPING FOR hword, hword_part, word WITH %s.unaccent, english_stem',
            dictionary_schema
        );
    END IF;
END $$;
"""
DROP_CONFIGURATION = "DROP TEXT SEARCH CONFIGURATION IF EXISTS english_unaccent;"

# What GuideQuerySet.refresh_search_vectors() stores, written out so this step never changes.
GUIDE_VECTORS = """
UPDATE education_guide SET search_vector =
    setweight(to_tsvector('{config}', coalesce(title, '')), 'A')
    || setweight(to_tsvector('{config}', coalesce(summary, '')), 'B')
    || setweight(to_tsvector('{config}', coalesce(body_text, '')), 'C');
"""


class Migration(migrations.Migration):
    dependencies = [
        ("education", "0007_guide_permissions"),
    ]

    operations = [
        KeptExtension("pg_trgm"),
        KeptExtension("unaccent"),
        migrations.RunSQL(CREATE_CONFIGURATION, DROP_CONFIGURATION),
        migrations.RunSQL(
            GUIDE_VECTORS.format(config="english_unaccent"),
            GUIDE_VECTORS.format(config="english"),
        ),
        migrations.CreateModel(
            name="SearchSynonym",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "term",
                    models.CharField(
                        help_text="A word or a few words, such as “suboxone” or “my son”. "
                        "Case and accents do not matter.",
                        max_length=60,
                        unique=True,
                        verbose_name="visitors type",
                    ),
                ),
                (
                    "means",
                    models.CharField(
                        help_text="Words the guides use, such as “buprenorphine”. To lead to "
                        "one guide, use words from its title, such as “paying for care”.",
                        max_length=200,
                        verbose_name="search also for",
                    ),
                ),
            ],
            options={
                "verbose_name": "search synonym",
                "ordering": ["term"],
            },
        ),
        migrations.CreateModel(
            name="SearchPage",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("url_name", models.CharField(max_length=60, unique=True)),
                ("title", models.CharField(max_length=160)),
                ("summary", models.CharField(blank=True, max_length=300)),
                ("body_text", models.TextField()),
                ("search_vector", django.contrib.postgres.search.SearchVectorField(null=True)),
            ],
            options={
                "indexes": [
                    django.contrib.postgres.indexes.GinIndex(
                        fields=["search_vector"], name="searchpage_search_idx"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("word", models.CharField(max_length=60, unique=True)),
                ("lexeme", models.CharField(db_index=True, max_length=60)),
                ("frequency", models.PositiveIntegerField(default=1)),
                ("in_synonym", models.BooleanField(default=False)),
            ],
            options={
                "indexes": [
                    django.contrib.postgres.indexes.GistIndex(
                        fields=["word"], name="searchword_trgm_idx", opclasses=["gist_trgm_ops"]
                    )
                ],
            },
        ),
    ]
