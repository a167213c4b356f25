import pytest

from cnnlib.errors import DatasetNotFoundError, UnknownNameError
from cnnlib.profiles import get_profile
from cnnlib.session import Session


def test_download_follows_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("CNNLIB_DOWNLOAD", "True")
    assert Session("t", output_dir=tmp_path).download is True
    monkeypatch.setenv("CNNLIB_DOWNLOAD", "0")
    assert Session("t", output_dir=tmp_path).download is False
    assert Session("t", output_dir=tmp_path, download=True).download is True


def test_bad_download_value_rejected(tmp_path):
    with pytest.raises(ValueError, match="download"):
        Session("t", output_dir=tmp_path, download="yes")


def test_unknown_profile_lists_profiles(tmp_path):
    with pytest.raises(UnknownNameError) as raised:
        Session("t", profile="fast", output_dir=tmp_path)
    for name in ("fast", "smoke", "quick", "full"):
        assert name in str(raised.value)


def test_epochs_override_validated(tmp_path):
    with pytest.raises(ValueError, match="'3'"):
        Session("t", epochs="3", output_dir=tmp_path)
    session = Session("t", profile="smoke", epochs=2, output_dir=tmp_path)
    assert session.config("cifar10").epochs == 2
    assert Session("t", profile="quick", output_dir=tmp_path).config("cifar10").epochs == 10


def test_profile_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("CNNLIB_PROFILE", "smoke")
    assert Session("t", output_dir=tmp_path).profile.name == "smoke"


def test_output_folders_under_output_dir(tmp_path):
    session = Session("nb", output_dir=tmp_path)
    assert session.figures_dir == tmp_path.resolve() / "figures" / "nb"
    assert session.store.summary_path == tmp_path.resolve() / "results" / "nb" / "summary.csv"


def test_missing_real_data_outside_smoke_fails(tmp_path):
    session = Session("t", profile="quick", data_root=tmp_path / "empty", output_dir=tmp_path, download=False)
    with pytest.raises(DatasetNotFoundError):
        session.load("mnist")


def test_smoke_profile_falls_back_to_synthetic(tmp_path):
    session = Session("t", profile="smoke", data_root=tmp_path / "empty", output_dir=tmp_path, download=False)
    with pytest.warns(UserWarning):
        dataset = session.load("cifar10")
    assert dataset.synthetic
    assert len(dataset.train) == 1000
    assert dataset.image_size == (32, 32)
    assert dataset.in_channels == 3


def test_profile_notebook_sizes_override_defaults():
    quick = get_profile("quick")
    assert quick.size("cifar10") == (40000, None)
    assert quick.size("cifar10", "02_architecture_analysis") == (10000, 5000)
    assert quick.epochs_for("cifar10", notebook="02_architecture_analysis") == 5
    assert quick.epochs_for("cifar10", 3, notebook="02_architecture_analysis") == 3
    assert quick.size("mnist", "03_custom_layers") == (30000, None)
