"""Model and form fields that store Vietnamese text in NFC, whatever form the input arrived in.

Text pasted from Word, macOS or old "Unicode tổ hợp" keyboards is often NFD: the same letters as
NFC but different bytes, so equality, unique constraints and search silently fail and some PDF
renderers misplace the marks (stack-notes, pitfall 8). Normalising in the field covers every write
path (forms, API, admin, ORM) and every lookup (``filter(name=<NFD text>)`` finds the NFC row).
"""

from __future__ import annotations

import unicodedata

from django import forms
from django.db import models
from django.db.models import lookups


def _nfc(value):
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


class NfcFormCharField(forms.CharField):
    """Form field: Django's CharField (which strips), then NFC."""

    def to_python(self, value):
        return _nfc(super().to_python(value))


class _NfcMixin:
    def to_python(self, value):
        return _nfc(super().to_python(value))

    def get_prep_value(self, value):
        return _nfc(super().get_prep_value(value))

    def pre_save(self, model_instance, add):
        # Normalise the instance attribute too, so the object in memory equals what was stored.
        value = _nfc(super().pre_save(model_instance, add))
        setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": NfcFormCharField, **kwargs})


class NfcCharField(_NfcMixin, models.CharField):
    """``CharField`` whose value is always NFC in the database and on the instance."""


class NfcTextField(_NfcMixin, models.TextField):
    """``TextField`` whose value is always NFC in the database and on the instance."""


def _nfc_pattern_lookup(base: type[lookups.Lookup]) -> type[lookups.Lookup]:
    # Pattern lookups (contains, startswith…) skip get_prep_value, so they normalise here.
    def get_prep_lookup(self):
        return _nfc(super(lookup, self).get_prep_lookup())

    lookup = type(f"Nfc{base.__name__}", (base,), {"get_prep_lookup": get_prep_lookup})
    return lookup


for _base in (lookups.Contains, lookups.IContains, lookups.StartsWith, lookups.IStartsWith,
              lookups.EndsWith, lookups.IEndsWith):
    NfcCharField.register_lookup(_nfc_pattern_lookup(_base))
    NfcTextField.register_lookup(_nfc_pattern_lookup(_base))
