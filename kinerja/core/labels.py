"""String enums whose members carry the words people see for them."""
import enum


class LabelledEnum(enum.StrEnum):
    """Members are written `NAME = "stored value", label`: code and templates compare members
    (never the stored strings) and show `member.label`, a lazy translation made when shown."""

    def __new__(cls, value: str, label=None):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = value if label is None else label
        return member
