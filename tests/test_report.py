"""REPORT.md built from a results store: notebook 01's section, the generic fallback, the language switch."""

import os
from pathlib import Path

import pytest

from cnnlib import text
from cnnlib.experiment import run_experiment
from cnnlib.report import build_report, write_report
from cnnlib.report.__main__ import main
from cnnlib.results import ResultsStore
from cnnlib.training import TrainConfig

from helpers import separable_dataset

QUIET = dict(progress="off", device="cpu", precision="fp32", epochs=1, batch_size=64)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("project")
    mnist = separable_dataset(size=28, name="mnist")
    store = ResultsStore(root / "results" / "01_cnn_vs_fc")
    run_experiment("1.1", mnist, ["FC_3layer", "SimpleCNN"], TrainConfig(**QUIET), profile="smoke", store=store,
                   seeds=[0, 1])
    other = ResultsStore(root / "results" / "02_architecture")
    run_experiment("2.1", mnist, ["FC_3layer"], TrainConfig(**QUIET), profile="smoke", store=other, seeds=[0])
    figures = root / "figures" / "02_architecture"
    figures.mkdir(parents=True)
    (figures / "filters.png").write_bytes(b"\x89PNG")
    (root / "figures" / "01_cnn_vs_fc").mkdir(parents=True)
    (root / "figures" / "01_cnn_vs_fc" / "mnist_comparison.png").write_bytes(b"\x89PNG")
    return root


def test_report_has_tables_figures_conclusions(project):
    report = build_report(project)
    assert report.startswith("# Отчет")
    assert report.index("## 1. Сверточные") < report.index("## 02_architecture")
    assert "| FC_3layer |" in report
    assert "| SimpleCNN |" in report
    assert "![MNIST](figures/01_cnn_vs_fc/mnist_comparison.png)" in report
    assert "figures/01_cnn_vs_fc/mnist_confusion.png" in report  # named as missing
    assert "Выводы: MNIST" in report
    assert "seed 0, 1" in report
    # The generic section of a notebook without a builder.
    assert "### 2.1 (mnist)" in report
    assert "figures/02_architecture/filters.png" in report


def test_report_numbers_come_from_summary(project):
    summary = ResultsStore(project / "results" / "01_cnn_vs_fc").load_summary()
    fc = summary[summary["model"] == "FC_3layer"]["test_acc"]
    expected = f"{fc.mean():.4f} ± {fc.std():.4f}"
    assert expected in build_report(project)


def test_english_switch_and_default_file(project, tmp_path):
    path = write_report(project, language="en")
    try:
        assert path.name == "REPORT.en.md"
        report = path.read_text()
        assert report.startswith("# Report")
        assert "Conclusions: MNIST" in report
    finally:
        text.set_language("ru")


def test_command_line_writes_output(project, tmp_path, capsys):
    output = tmp_path / "out" / "R.md"
    output.parent.mkdir()
    main(["--root", str(project), "--output", str(output)])
    assert str(output) in capsys.readouterr().out
    report = output.read_text()
    link = os.path.relpath(project / "figures" / "01_cnn_vs_fc" / "mnist_comparison.png", output.parent)
    assert f"]({Path(link).as_posix()})" in report
    assert "Сравнительная таблица" in report


def test_empty_project_reports_no_results(tmp_path):
    report = build_report(tmp_path)
    assert "01_cnn_vs_fc" in report
    assert "make run" in report


def test_layer_checks_analogue_follows_report_language():
    from cnnlib.layer_checks import check_layers, display_table

    saved = check_layers()  # stores text keys, so one saved table serves both languages
    russian = display_table(saved)["Стандартный аналог"]
    text.set_language("en")
    try:
        english = display_table(saved)["Standard analogue"]
    finally:
        text.set_language("ru")
    gem = saved.index[saved["layer"] == "GeM"][0]
    assert not any("а" <= letter <= "я" for letter in english[gem])
    assert any("а" <= letter <= "я" for letter in russian[gem])
