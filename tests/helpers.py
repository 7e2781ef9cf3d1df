"""Helpers the tests share (imported by tests, never from conftest.py)."""


def change_form_data(guide, **changes):
    """What the guide's admin form posts, with `changes` applied."""
    data = {
        "title": guide.title,
        "slug": guide.slug,
        "topic": guide.topic_id,
        "order": guide.order,
        "status": guide.status,
        "summary": guide.summary,
        "body_markdown": guide.body_markdown,
        "reviewed_on": guide.reviewed_on.isoformat(),
        "reviewer": guide.reviewer_id,
        "review_interval_months": guide.review_interval_months,
        "sources-TOTAL_FORMS": "1",
        "sources-INITIAL_FORMS": "0",
        "sources-MIN_NUM_FORMS": "0",
        "sources-MAX_NUM_FORMS": "1000",
        "sources-0-title": "",
        "sources-0-publisher": "",
        "sources-0-url": "",
        "sources-0-read_on": "",
        "sources-0-order": "0",
    }
    data.update(changes)
    return data
