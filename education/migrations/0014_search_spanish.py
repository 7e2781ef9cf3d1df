"""Search in Spanish: a `spanish_unaccent` configuration, vectors in each row's language,
and the clinic's pages, synonyms and vocabulary kept per language.

The starting Spanish synonyms are seeded as 0009 seeded the English ones; staff add more in
the admin (Guides › Search synonyms), choosing the language.
"""

from django.db import migrations, models

# As 0008 made english_unaccent: only when missing, the dictionary named with its schema.
CREATE_CONFIGURATION = """
DO $$
DECLARE
    dictionary_schema text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'spanish_unaccent') THEN
        SELECT extnamespace::regnamespace::text INTO dictionary_schema
            FROM pg_extension WHERE extname = 'unaccent';
        CREATE TEXT SEARCH CONFIGURATION spanish_unaccent (COPY = spanish);
        EXECUTE format(
            'ALTER TEXT SEARCH CONFIGURATION spanish_unaccent '
            'ALTER MAPPING FOR hword, hword_part, word WITH %s.unaccent, spanish_stem',
            dictionary_schema
        );
    END IF;
END $$;
"""
DROP_CONFIGURATION = "DROP TEXT SEARCH CONFIGURATION IF EXISTS spanish_unaccent;"

# What SearchableQuerySet.refresh_search_vectors() stores, written out so this step never
# changes: each guide in its own language.
GUIDE_VECTORS = """
UPDATE education_guide SET search_vector =
    setweight(to_tsvector({config}, coalesce(title, '')), 'A')
    || setweight(to_tsvector({config}, coalesce(summary, '')), 'B')
    || setweight(to_tsvector({config}, coalesce(body_text, '')), 'C');
"""
BY_LANGUAGE = (
    "(CASE language WHEN 'es' THEN 'spanish_unaccent' ELSE 'english_unaccent' END)::regconfig"
)

FAMILY = "ayudar a un ser querido"  # the words of that guide's title
PAYING = "pagar el tratamiento"
WITHDRAWAL = "abstinencia"
# Terms as SearchSynonym.save() keeps them: lower case, no accents.
SYNONYMS = {
    # Brand names of the medicines the guides call by their own names.
    "suboxone": "buprenorfina",
    "subutex": "buprenorfina",
    "sublocade": "buprenorfina",
    "zubsolv": "buprenorfina",
    "narcan": "naloxona",
    "kloxxado": "naloxona",
    "vivitrol": "naltrexona",
    "methadose": "metadona",
    "buprenorphine": "buprenorfina",
    "naloxone": "naloxona",
    "methadone": "metadona",
    # Everyday and street words.
    "od": "sobredosis",
    "fenta": "fentanilo",
    "chiva": "heroina",
    "desintoxicacion": WITHDRAWAL,
    "desintoxicarse": WITHDRAWAL,
    "detox": WITHDRAWAL,
    "malilla": WITHDRAWAL,
    "rehabilitacion": "tratamiento",
    "rehab": "tratamiento",
    # Someone asking for a person they love.
    **{
        f"mi {person}": FAMILY
        for person in (
            "hijo", "hija", "esposo", "esposa", "pareja", "novio", "novia", "hermano",
            "hermana", "mama", "papa", "madre", "padre", "amigo", "amiga",
        )
    },
    # Money.
    "costo": PAYING,
    "cuesta": PAYING,
    "precio": PAYING,
    "seguro medico": PAYING,
    "aseguranza": PAYING,
    "medicaid": PAYING,
}  # fmt: skip


def seed(apps, schema_editor):
    SearchSynonym = apps.get_model("education", "SearchSynonym")
    for term, means in SYNONYMS.items():
        SearchSynonym.objects.get_or_create(language="es", term=term, defaults={"means": means})


def unseed(apps, schema_editor):
    """Back to one row per term, page and word: the English ones."""
    for model in ("SearchSynonym", "SearchPage", "SearchWord"):
        apps.get_model("education", model).objects.exclude(language="en").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("education", "0013_guide_translations"),
    ]

    operations = [
        migrations.RunSQL(CREATE_CONFIGURATION, DROP_CONFIGURATION),
        migrations.RunSQL(
            GUIDE_VECTORS.format(config=BY_LANGUAGE),
            GUIDE_VECTORS.format(config="'english_unaccent'"),
        ),
        # The clinic's pages: one row per page and language (the next load adds Spanish).
        migrations.AddField(
            model_name="searchpage",
            name="language",
            field=models.CharField(
                choices=[("en", "English"), ("es", "Español")], default="en", max_length=8
            ),
        ),
        migrations.AlterField(
            model_name="searchpage",
            name="url_name",
            field=models.CharField(max_length=60),
        ),
        migrations.AddConstraint(
            model_name="searchpage",
            constraint=models.UniqueConstraint(
                fields=("url_name", "language"), name="searchpage_one_per_language"
            ),
        ),
        # Synonyms: the English ones stay English.
        migrations.AddField(
            model_name="searchsynonym",
            name="language",
            field=models.CharField(
                choices=[("en", "English"), ("es", "Español")],
                default="en",
                help_text="The language of the search it helps, and of the guides' words.",
                max_length=8,
            ),
        ),
        migrations.AlterField(
            model_name="searchsynonym",
            name="term",
            field=models.CharField(
                help_text="A word or a few words, such as “suboxone” or “my son”. "
                "Case and accents do not matter.",
                max_length=60,
                verbose_name="visitors type",
            ),
        ),
        migrations.AlterModelOptions(
            name="searchsynonym",
            options={"ordering": ["language", "term"], "verbose_name": "search synonym"},
        ),
        migrations.AddConstraint(
            model_name="searchsynonym",
            constraint=models.UniqueConstraint(
                fields=("language", "term"), name="searchsynonym_one_per_language"
            ),
        ),
        # The vocabulary: the words there are now are English ones (rebuilt on every change).
        migrations.AddField(
            model_name="searchword",
            name="language",
            field=models.CharField(
                choices=[("en", "English"), ("es", "Español")], default="en", max_length=8
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="searchword",
            name="word",
            field=models.CharField(max_length=60),
        ),
        migrations.AlterField(
            model_name="searchword",
            name="lexeme",
            field=models.CharField(max_length=60),
        ),
        migrations.AddIndex(
            model_name="searchword",
            index=models.Index(fields=["language", "lexeme"], name="searchword_lexeme_idx"),
        ),
        migrations.AddConstraint(
            model_name="searchword",
            constraint=models.UniqueConstraint(
                fields=("language", "word"), name="searchword_one_per_language"
            ),
        ),
        migrations.RunPython(seed, unseed),
    ]
