import pytest

from cnnlib import text
from cnnlib.errors import UnknownNameError
from cnnlib.models import build_model
from cnnlib.text import LANGUAGES, tr


def test_every_key_has_every_language():
    for key, variants in text._CATALOG.items():
        for language in LANGUAGES:
            assert variants.get(language), f"{key} has no {language} text"


def test_switch_changes_messages():
    try:
        text.set_language("en")
        with pytest.raises(UnknownNameError, match="Unknown model 'X'"):
            build_model("X", in_channels=1, num_classes=2, image_size=(8, 8))
        text.set_language("ru")
        with pytest.raises(UnknownNameError, match="Неизвестная модель 'X'"):
            build_model("X", in_channels=1, num_classes=2, image_size=(8, 8))
    finally:
        text.set_language("ru")


def test_unknown_language_rejected():
    with pytest.raises(ValueError, match="'de'"):
        text.set_language("de")
    assert text.get_language() == "ru"


def test_format_fields():
    assert tr("legend.grad_mean", epoch=3).endswith("3")
