from django_tasks_db.models import DBTaskResult


def run_queued_jobs() -> None:
    """Run the queued jobs as the worker would (the worker itself closes the test's connection)."""
    for job in DBTaskResult.objects.ready().order_by("enqueued_at"):
        args = job.args_kwargs
        job.task.call(*args["args"], **args["kwargs"])
        job.set_successful(None)
