"""Settings for the local demo (`make demo`): the embedded SQLite database under var/."""

from .base import *  # noqa: F403

DEBUG = False
