"""The base form: Flask-WTF with WTForms' own messages in the visitor's language.

WTForms ships no Indonesian catalogue, so ours (kinerja/translations/id/LC_MESSAGES/wtforms.po)
supplies one; English needs none because WTForms' messages are English already.
"""
from babel import support
from flask import current_app, g
from flask_babel import get_locale
from flask_wtf import FlaskForm


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
