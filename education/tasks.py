"""Background work on the guides, run by the task worker (db_worker)."""

from django.tasks import task

from education.services import scheduled_changes_carry_out


@task()
def carry_out_schedule() -> dict:
    """Publish and unpublish the guides whose set time has come. Queued to run at each
    set time; running it early or twice does nothing more."""
    return scheduled_changes_carry_out()
