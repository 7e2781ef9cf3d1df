"""The starting search synonyms, and content editors' right to keep them.

Visitors type brand names, street words and their own situation; the guides use the
medicines' names and plain titles. Staff add more in the admin (Guides › Search synonyms).
"""

from django.db import migrations

from recovery_site import roles

FAMILY = "help someone you love"  # the words of that guide's title
PAYING = "paying for care"
# A word's other forms need no entry of their own: "sons", "costs" and "ODs" are read as
# "son", "cost" and "od".
SYNONYMS = {
    # Brand names of the medicines the guides call by their own names.
    "suboxone": "buprenorphine",
    "subutex": "buprenorphine",
    "sublocade": "buprenorphine",
    "zubsolv": "buprenorphine",
    "bupe": "buprenorphine",
    "narcan": "naloxone",
    "kloxxado": "naloxone",
    "vivitrol": "naltrexone",
    "methadose": "methadone",
    "percocet": "prescription painkillers",
    "oxycontin": "prescription painkillers",
    "oxy": "prescription painkillers",
    "vicodin": "prescription painkillers",
    "xanax": "benzodiazepines",
    "benzos": "benzodiazepines",
    # Everyday and street words.
    "od": "overdose",
    "dope": "heroin",
    "smack": "heroin",
    "fent": "fentanyl",
    "rehab": "treatment programs",
    "relapse": "return to use",
    # Someone asking for a person they love.
    **{
        f"my {person}": FAMILY
        for person in (
            "son", "daughter", "child", "kid", "husband", "wife", "partner", "boyfriend",
            "girlfriend", "brother", "sister", "mom", "dad", "mother", "father", "friend",
        )
    },
    # Money.
    "cost": PAYING,
    "insurance": PAYING,
    "insured": PAYING,
    "pay": PAYING,
    "price": PAYING,
    "afford": PAYING,
}  # fmt: skip
ACTIONS = ("view", "add", "change", "delete")


def seed(apps, schema_editor):
    SearchSynonym = apps.get_model("education", "SearchSynonym")
    for term, means in SYNONYMS.items():
        SearchSynonym.objects.get_or_create(term=term, defaults={"means": means})
    # Django makes permissions after migrations; the roles need these ones now.
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    synonym_type, _ = ContentType.objects.get_or_create(
        app_label="education", model="searchsynonym"
    )
    granted = [
        Permission.objects.get_or_create(
            content_type=synonym_type,
            codename=f"{action}_searchsynonym",
            defaults={"name": f"Can {action} search synonym"},
        )[0]
        for action in ACTIONS
    ]
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=[roles.CONTENT_EDITORS, roles.ADMINISTRATORS]):
        group.permissions.add(*granted)


class Migration(migrations.Migration):
    dependencies = [
        ("education", "0008_search_setup"),
        ("intake", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
