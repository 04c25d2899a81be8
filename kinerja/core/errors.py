"""Exceptions the services raise when a rule is broken; views turn them into messages."""


class RuleViolation(Exception):
    """Input that breaks a domain rule. `field` names the form field it belongs to, if any."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


class NotAllowed(Exception):
    """The acting user may not do this to this object."""
