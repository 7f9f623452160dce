"""Errors shared by the apps' services, selectors and access functions."""


class ObjectNotFound(Exception):
    """The object does not exist *or* the user may not see it: the same error for both,
    so that a caller cannot learn that an object outside their scope exists."""


class PermissionDenied(Exception):
    """The user may see the object but not perform this action on it."""


class ValidationFailed(Exception):
    """Input broke a rule. ``errors`` maps a field (or "__all__") to Spanish messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors
