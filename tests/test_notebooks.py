"""The notebooks: their parameters cell, and a headless papermill run in the smoke profile."""

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def _assigned_names(source: str) -> set[str]:
    return {
        target.id
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def _used_names(source: str) -> set[str]:
    return {node.id for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Name)}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_one_parameters_cell_before_use(path):
    notebook = nbformat.read(path, as_version=4)
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    tagged = [i for i, cell in enumerate(code_cells) if "parameters" in cell.metadata.get("tags", [])]
    assert len(tagged) == 1
    parameters = _assigned_names(code_cells[tagged[0]].source)
    assert {"profile", "device", "data_root", "epochs", "seed", "seeds", "force", "output_dir"} <= parameters
    for cell in code_cells[: tagged[0]]:
        assert not (_used_names(cell.source) & parameters), "a parameter is used before the parameters cell"


# What a smoke run of each notebook must leave behind: the models of summary.csv
# (one row per model and experiment, seed 0), the figure count, and the columns
# the notebook adds to its rows beyond the common ones (with the experiments
# whose rows must fill them).
SMOKE_RUNS = {
    "01_cnn_vs_fc": {
        "models": ["FC_3layer", "SimpleCNN", "ResCNN", "FC_deep", "ResCNN", "RegResCNN"],
        "figures": 8,
        "columns": {},
        "values": {},
    },
    "02_architecture_analysis": {
        "models": ["3x3", "5x5", "7x7", "1x1+3x3"] * 2
        + [f"{kind}-{depth}" for depth in (2, 4, 6, 10) for kind in ("plain", "residual")],
        "figures": 12,
        "columns": {"receptive_field": "2.1", "kernel": "2.1", "depth": "2.2", "residual": "2.2"},
        "values": {"kernel": {"3x3", "5x5", "7x7", "1x1+3x3"}},
    },
    "03_custom_layers": {
        "models": ["StandardLayersCNN", "CustomLayersCNN", "ResNet-basic", "ResNet-bottleneck", "ResNet-wide"],
        "figures": 3,
        # One seed and one epoch leave the spread and the loss jitter unmeasured (empty),
        # so only the columns themselves are checked for them.
        "columns": {"block": "3.2", "flops": "3.2", "grad_norm_spike": "3.2",
                    "final_test_acc_std": None, "test_loss_jitter": None},
        "values": {"block": {"basic", "bottleneck", "wide"}},
    },
}


def _smoke_run(source: Path, output: Path) -> tuple[dict, dict]:
    """Execute ``source`` with papermill in the smoke profile; return the executed notebook and the environment."""
    env = {
        **os.environ,
        "MPLBACKEND": "Agg",
        "CNNLIB_PROGRESS": "off",
        "CNNLIB_OUTPUT": str(output),
        "CNNLIB_LANG": "ru",
        "CNNLIB_SEEDS": "",
        "CNNLIB_FORCE": "",
        "CNNLIB_HEADLESS": "1",
    }
    executed = output / source.name
    command = [
        sys.executable, "-m", "papermill", str(source), str(executed),
        "-p", "profile", "smoke", "-p", "epochs", "1", "--cwd", str(source.parent),
    ]
    subprocess.run(command, env=env, check=True, capture_output=True, text=True, timeout=900)
    return json.loads(executed.read_text()), env


@pytest.mark.notebook
@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if p.stem in SMOKE_RUNS], ids=lambda p: p.name)
def test_notebook_smoke_run(path, tmp_path):
    expected = SMOKE_RUNS[path.stem]
    notebook, env = _smoke_run(path, tmp_path)
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        outputs = cell.get("outputs", [])
        assert not [o for o in outputs if o["output_type"] == "error"], cell["source"]
        if "session.show(" in "".join(cell["source"]):
            assert any("image/png" in o.get("data", {}) for o in outputs), "".join(cell["source"])

    results = tmp_path / "results" / path.stem
    summary = pd.read_csv(results / "summary.csv")
    assert sorted(summary.model) == sorted(expected["models"])
    assert set(summary.epochs) == {1}
    assert set(summary.profile) == {"smoke"}
    assert set(summary.seed) == {0}
    for column, experiment in expected["columns"].items():
        assert column in summary.columns, column
        if experiment is not None:
            rows = summary[summary.experiment.astype(str) == experiment]
            assert rows[column].notna().all(), column
    for column, values in expected["values"].items():
        assert set(summary[column].dropna()) == values
    figures = sorted(p.name for p in (tmp_path / "figures" / path.stem).glob("*.png"))
    assert len(figures) == expected["figures"]
    assert len(list((results / "runs").glob("*.json"))) == len(expected["models"])
    assert len(list((results / "weights").glob("*.pt"))) == len(expected["models"])
    assert not list((results / "checkpoints").glob("*"))

    report = tmp_path / "REPORT.md"
    subprocess.run([sys.executable, "-m", "cnnlib.report", "--root", str(tmp_path)], env=env, check=True,
                   capture_output=True, text=True, timeout=120)
    markdown = report.read_text()
    for model in expected["models"]:
        assert f"| {model} |" in markdown
    for figure in figures:
        assert f"figures/{path.stem}/{figure}" in markdown
    if path.stem in ("01_cnn_vs_fc", "02_architecture_analysis"):
        assert markdown.count("### Выводы") == 2
    if path.stem == "03_custom_layers":
        assert markdown.count("Выводы:") == 3
        assert (results / "tables" / "layer_checks.csv").exists()
        assert (results / "tables" / "layer_bench.csv").exists()


def test_every_notebook_has_smoke_expectations():
    missing = {p.stem for p in NOTEBOOKS} - set(SMOKE_RUNS)
    assert not missing, f"add {sorted(missing)} to SMOKE_RUNS"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_injected_parameters_committed(path):
    # An injected cell pins the profile of the run that made it, so nbval in
    # `make test` would rerun that profile instead of the smoke one.
    notebook = nbformat.read(path, as_version=4)
    injected = [cell for cell in notebook.cells if "injected-parameters" in cell.metadata.get("tags", [])]
    assert injected == []
