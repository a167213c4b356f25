import pytest

from cnnlib.errors import DatasetNotFoundError, UnknownNameError
from cnnlib.models import ModelSpec
from cnnlib.profiles import get_profile
from cnnlib.session import Session

from helpers import separable_dataset


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


def test_seeds_follow_profile_environment_and_argument(monkeypatch, tmp_path):
    monkeypatch.delenv("CNNLIB_SEEDS", raising=False)
    assert Session("t", profile="smoke", output_dir=tmp_path).seeds == [0]
    assert Session("t", profile="quick", output_dir=tmp_path).seeds == [0, 1]
    assert Session("t", profile="full", seed=5, output_dir=tmp_path).seeds == [5, 6, 7]
    monkeypatch.setenv("CNNLIB_SEEDS", "3")
    assert Session("t", profile="smoke", output_dir=tmp_path).seeds == [0, 1, 2]
    monkeypatch.setenv("CNNLIB_SEEDS", "4, 9")
    assert Session("t", profile="smoke", output_dir=tmp_path).seeds == [4, 9]
    assert Session("t", profile="smoke", seeds=[2], output_dir=tmp_path).seeds == [2]


@pytest.mark.parametrize("seeds", [0, -1, "2", [1, 1], [0.5], True])
def test_bad_seeds_rejected(seeds, tmp_path):
    with pytest.raises(ValueError, match="seeds"):
        Session("t", profile="smoke", seeds=seeds, output_dir=tmp_path)


def test_bad_seeds_environment_named(monkeypatch, tmp_path):
    monkeypatch.setenv("CNNLIB_SEEDS", "two")
    with pytest.raises(ValueError, match="CNNLIB_SEEDS"):
        Session("t", profile="smoke", output_dir=tmp_path)


def test_force_follows_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("CNNLIB_FORCE", raising=False)
    assert Session("t", output_dir=tmp_path).force is False
    monkeypatch.setenv("CNNLIB_FORCE", "1")
    assert Session("t", output_dir=tmp_path).force is True
    assert Session("t", output_dir=tmp_path, force=False).force is False
    with pytest.raises(ValueError, match="force"):
        Session("t", output_dir=tmp_path, force="yes")


def test_train_seeds_columns_and_model_table(monkeypatch, tmp_path):
    monkeypatch.delenv("CNNLIB_SEEDS", raising=False)
    session = Session("t", profile="smoke", output_dir=tmp_path, progress="off", precision="fp32")
    dataset = separable_dataset(size=28, name="mnist")
    results = session.train("x", dataset, ["FC_3layer", ModelSpec("small", "FC_3layer", {"hidden": (16, 8)})],
                            seeds=2, columns={"small": {"width": 16}})
    assert [(r.model_name, r.config.seed) for r in results] == [
        ("FC_3layer", 0), ("FC_3layer", 1), ("small", 0), ("small", 1)]
    assert results[2].architecture == "FC_3layer"
    assert results[2].model_kwargs == {"hidden": (16, 8)}
    summary = session.store.load_summary()
    assert summary.loc[summary["model"] == "small", "width"].tolist() == [16, 16]
    table = session.model_table(results)
    assert table.iloc[:, 0].tolist() == ["FC_3layer", "small"]
    assert table.iloc[1, 2] < table.iloc[0, 2]


def test_notebook_minimum_tops_up_seeds(monkeypatch, tmp_path):
    monkeypatch.delenv("CNNLIB_SEEDS", raising=False)
    assert get_profile("quick").min_seeds("03_custom_layers") == 3
    assert get_profile("smoke").min_seeds("03_custom_layers") == 1
    assert get_profile("quick").min_seeds("01_cnn_vs_fc") == 1
    assert Session("03_custom_layers", profile="quick", output_dir=tmp_path).seeds == [0, 1, 2]
    assert Session("03_custom_layers", profile="smoke", output_dir=tmp_path).seeds == [0]
    with pytest.warns(UserWarning, match="3"):
        session = Session("03_custom_layers", profile="full", seeds=[4, 9], output_dir=tmp_path)
    assert session.seeds == [4, 9, 10]
    assert Session("03_custom_layers", profile="quick", seeds=5, output_dir=tmp_path).seeds == [0, 1, 2, 3, 4]


def test_load_unknown_dataset_lists_known(tmp_path):
    session = Session("t", profile="smoke", output_dir=tmp_path)
    with pytest.raises(UnknownNameError, match="mnsit") as error:
        session.load("mnsit")
    assert "cifar10" in str(error.value)
