from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """A running task worker, as it last said (health/heartbeat.py). django-tasks-db
    keeps no record of its workers; /healthz reads this one. The row goes when the
    worker stops cleanly; a worker killed leaves it to age (and `prune_tasks`)."""

    worker_id = models.CharField(_("worker id"), max_length=64, unique=True)
    backend = models.CharField(_("task backend"), max_length=32)
    queues = models.CharField(_("queues"), max_length=200)
    host = models.CharField(_("host"), max_length=255)
    started_at = models.DateTimeField(_("started at"))
    beat_at = models.DateTimeField(_("last heartbeat"), db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self):
        return f"{self.backend} worker on {self.host}"
