"""The base form: Flask-WTF with WTForms' own messages in the visitor's language.

WTForms ships no Indonesian catalogue, so ours (kinerja/translations/id/LC_MESSAGES/wtforms.po)
supplies one; English needs none because WTForms' messages are English already.
"""
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from babel import support
from flask import current_app, g
from flask_babel import get_locale
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.fields.choices import SelectChoice

from kinerja.core.errors import RuleViolation
from kinerja.core.numbers import format_amount


class _WTFormsTranslations:
    @staticmethod
    def _catalogue():
        if "wtforms_translations" not in g:
            g.wtforms_translations = support.Translations.load(
                current_app.config["BABEL_TRANSLATION_DIRECTORIES"], [get_locale()],
                domain="wtforms")
        return g.wtforms_translations

    def gettext(self, string):
        return self._catalogue().ugettext(string)

    def ngettext(self, singular, plural, n):
        return self._catalogue().ungettext(singular, plural, n)


class Form(FlaskForm):
    class Meta:
        def get_translations(self, form):
            return _WTFormsTranslations()


class NumberField(StringField):
    """A decimal amount typed as text: a stored number is shown the reader's way ("2.400",
    "3,5"; never "35.00"), and what is typed goes as typed to the service, which reads it the
    same way (kinerja.core.numbers.parse_number) and says what is wrong with it."""

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        if isinstance(self.data, int | float | Decimal):
            return format_amount(self.data)
        return self.data or ""


def options(pairs: Iterable[tuple]) -> list[SelectChoice]:
    """(value, label) pairs as the choices of a SelectField, SelectMultipleField or RadioField
    (WTForms 3.3 deprecates plain tuples)."""
    return [SelectChoice(value, label) for value, label in pairs]


def show_problem(form, problem: RuleViolation, *, fallback: str | None = None) -> None:
    """Show a service's broken rule on `form`: under the field it names when the form has that
    field; otherwise under the field named `fallback`, if given, else among the form's own
    errors (form.form_errors, shown by form_errors() in templates/macros/forms.html)."""
    name = problem.field if problem.field and problem.field in form else fallback
    if name is not None:
        form[name].errors = [*form[name].errors, problem.message]
    else:
        form.form_errors.append(problem.message)


def parse_date(raw: str | None) -> date | None:
    """An ISO date (YYYY-MM-DD) from a URL or a form, or None when absent or not a date."""
    try:
        return date.fromisoformat((raw or "").strip()[:10]) if raw else None
    except ValueError:
        return None
