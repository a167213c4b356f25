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


@pytest.mark.notebook
def test_notebook_01_smoke_run(tmp_path):
    source = NOTEBOOKS[0]
    assert source.name == "01_cnn_vs_fc.ipynb"
    executed = tmp_path / source.name
    env = {
        **os.environ,
        "MPLBACKEND": "Agg",
        "CNNLIB_PROGRESS": "off",
        "CNNLIB_OUTPUT": str(tmp_path),
        "CNNLIB_LANG": "ru",
        "CNNLIB_SEEDS": "",
        "CNNLIB_FORCE": "",
    }
    command = [
        sys.executable, "-m", "papermill", str(source), str(executed),
        "-p", "profile", "smoke", "-p", "epochs", "1", "--cwd", str(source.parent),
    ]
    subprocess.run(command, env=env, check=True, capture_output=True, text=True, timeout=900)

    notebook = json.loads(executed.read_text())
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        outputs = cell.get("outputs", [])
        assert not [o for o in outputs if o["output_type"] == "error"], cell["source"]
        if "session.show(" in "".join(cell["source"]):
            assert any("image/png" in o.get("data", {}) for o in outputs), "".join(cell["source"])

    summary = pd.read_csv(tmp_path / "results" / "01_cnn_vs_fc" / "summary.csv")
    assert sorted(summary.model) == sorted(["FC_3layer", "SimpleCNN", "ResCNN", "FC_deep", "ResCNN", "RegResCNN"])
    assert set(summary.epochs) == {1}
    assert set(summary.profile) == {"smoke"}
    assert set(summary.seed) == {0}
    figures = sorted(p.name for p in (tmp_path / "figures" / "01_cnn_vs_fc").glob("*.png"))
    assert len(figures) == 8
    results = tmp_path / "results" / "01_cnn_vs_fc"
    assert len(list((results / "runs").glob("*.json"))) == 6
    assert len(list((results / "weights").glob("*.pt"))) == 6
    assert not list((results / "checkpoints").glob("*"))

    report = tmp_path / "REPORT.md"
    subprocess.run([sys.executable, "-m", "cnnlib.report", "--root", str(tmp_path)], env=env, check=True,
                   capture_output=True, text=True, timeout=120)
    markdown = report.read_text()
    for model in ("FC_3layer", "SimpleCNN", "ResCNN", "FC_deep", "RegResCNN"):
        assert f"| {model} |" in markdown
    for figure in figures:
        assert f"figures/01_cnn_vs_fc/{figure}" in markdown
    assert markdown.count("### Выводы") == 2


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_injected_parameters_committed(path):
    # An injected cell pins the profile of the run that made it, so nbval in
    # `make test` would rerun that profile instead of the smoke one.
    notebook = nbformat.read(path, as_version=4)
    injected = [cell for cell in notebook.cells if "injected-parameters" in cell.metadata.get("tags", [])]
    assert injected == []
