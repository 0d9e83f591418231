import unicodedata

import pytest
from django import forms
from django.db import transaction

from tinhso.core.fields import NfcCharField, NfcFormCharField, NfcTextField
from tinhso.core.models import Sequence

NAME = "Nguyễn Thị Ánh Tuyết"
NAME_NFD = unicodedata.normalize("NFD", NAME)


def test_model_fields_normalise_input_and_query_values():
    for field in (NfcCharField(max_length=50), NfcTextField()):
        assert field.to_python(NAME_NFD) == NAME
        assert field.get_prep_value(NAME_NFD) == NAME
        assert field.to_python(None) is None


def test_form_fields_give_nfc_and_keep_the_widget():
    assert NfcCharField(max_length=50).formfield().clean(f"  {NAME_NFD} ") == NAME
    text_field = NfcTextField().formfield()
    assert isinstance(text_field, NfcFormCharField)
    assert isinstance(text_field.widget, forms.Textarea)
    assert text_field.clean(NAME_NFD) == NAME


def test_choices_still_give_a_choice_field():
    field = NfcCharField(max_length=5, choices=[("a", "A")]).formfield()
    assert isinstance(field, forms.TypedChoiceField)


@pytest.mark.django_db
def test_saved_value_and_instance_are_nfc_and_nfd_lookup_finds_the_row():
    with transaction.atomic():
        row = Sequence(scope=NAME_NFD, period="2026")
        row.save()
    assert row.scope == NAME  # the instance too, not only the database
    assert Sequence.objects.filter(scope=NAME).exists()
    assert Sequence.objects.filter(scope=NAME_NFD).get().pk == row.pk
    assert Sequence.objects.filter(scope__icontains=unicodedata.normalize("NFD", "Ánh")).exists()
    assert Sequence.objects.filter(scope__startswith=unicodedata.normalize("NFD", "Nguyễn Thị")).exists()


def test_deconstructs_to_its_own_path_for_migrations():
    name, path, args, kwargs = NfcCharField(max_length=10).deconstruct()
    assert path == "tinhso.core.fields.NfcCharField"
