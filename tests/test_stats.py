"""Seed statistics and the wording of verdicts on constructed results."""

import math

import pandas as pd
import pytest

from cnnlib import text
from cnnlib.analysis import mean_std_table
from cnnlib.narrative import conclusions_cnn_vs_fc, verdict
from cnnlib.stats import compare, mean_std
from cnnlib.training import TrainConfig, TrainResult


def _runs(name, accuracies, convolutional=False, params=1000):
    return [
        TrainResult(model_name=name, dataset="mnist", params=params, config=TrainConfig(seed=seed),
                    history=[{"epoch": 1}], train_time_s=1.0 + seed, inference_time_s=0.1, train_acc=acc + 0.01,
                    test_acc=acc, test_loss=0.3, device="cpu", precision="fp32", memory_format="contiguous",
                    convolutional=convolutional, architecture=name)
        for seed, acc in enumerate(accuracies)
    ]


def _spread(mean, std):
    """Three values with the given mean and sample std."""
    return [mean - std, mean, mean + std]


@pytest.fixture
def english():
    text.set_language("en")
    yield
    text.set_language("ru")


def test_mean_std_known_values():
    mean, std, count = mean_std([0.90, 0.92, 0.94])
    assert mean == pytest.approx(0.92)
    assert std == pytest.approx(0.02)
    assert count == 3
    assert math.isnan(mean_std([0.5])[1])


def test_small_gap_within_spread_not_distinguishable(english):
    # 0.2 points apart, 0.5 points of spread per model.
    comparison = compare(_runs("A", _spread(0.902, 0.005)), _runs("B", _spread(0.900, 0.005)))
    assert comparison.difference == pytest.approx(0.002)
    assert comparison.std_a == pytest.approx(0.005)
    assert comparison.distinguishable is False
    assert "not distinguishable" in verdict(comparison)
    assert "0.2 points" in verdict(comparison)
    assert "do not overlap" in comparison.rule


def test_large_gap_beyond_spread_distinguishable(english):
    # 5 points apart, 0.3 points of spread per model.
    comparison = compare(_runs("A", _spread(0.95, 0.003)), _runs("B", _spread(0.90, 0.003)))
    assert comparison.distinguishable is True
    assert comparison.spread == pytest.approx(0.006)
    assert "exceeds the seed-to-seed spread (0.6 points)" in verdict(comparison)


def test_single_seed_is_unknown(english):
    comparison = compare(_runs("A", [0.95]), _runs("B", [0.90]))
    assert comparison.distinguishable is None
    assert "not measured" in verdict(comparison)


def test_russian_wording_flips():
    close = compare(_spread(0.902, 0.005), _spread(0.900, 0.005))
    far = compare(_spread(0.95, 0.003), _spread(0.90, 0.003))
    assert "неразличимы" in verdict(close)
    assert "устойчиво" in verdict(far)


def test_diverged_runs_left_out():
    runs = _runs("A", [0.9, 0.92, float("nan")])
    comparison = compare(runs, _runs("B", [0.5, 0.52]))
    assert comparison.n_a == 2
    assert comparison.mean_a == pytest.approx(0.91)


def test_conclusions_qualify_ranking(english):
    results = (_runs("CNN", _spread(0.902, 0.005), convolutional=True, params=500)
               + _runs("FC", _spread(0.900, 0.005), params=1000))
    markdown = conclusions_cnn_vs_fc(results, "MNIST")
    assert "**CNN**" in markdown
    assert "not distinguishable" in markdown
    assert "90.20% ± 0.50" in markdown
    assert "2.0 times fewer" in markdown
    assert "means over 3 runs (seeds 0, 1, 2)" in markdown

    far = (_runs("CNN", _spread(0.95, 0.003), convolutional=True) + _runs("FC", _spread(0.90, 0.003)))
    assert "so it is consistent" in conclusions_cnn_vs_fc(far, "MNIST")


def test_mean_std_table_values(english):
    results = _runs("A", _spread(0.90, 0.01)) + _runs("B", [0.8, float("nan")])
    table = mean_std_table(results)
    assert list(table["Model"]) == ["A", "B"]
    assert table.loc[0, "Accuracy (test)"] == "0.9000 ± 0.0100"
    assert table.loc[0, "Training time (s)"] == "2.0 ± 1.0"
    assert table.loc[0, "Runs (seeds)"] == "3"
    assert table.loc[1, "Accuracy (test)"] == "0.8000"
    assert table.loc[1, "Runs (seeds)"] == "1 of 2 (the rest diverged)"
    assert isinstance(table, pd.DataFrame)
