import numpy as np
import pandas as pd
import pytest
import torch

from cnnlib import text
from cnnlib.analysis import comparison_table, confusion_matrix, gradient_ratio, most_confused
from cnnlib.training import TrainConfig, TrainResult


def test_confusion_matrix_hand_count():
    matrix = confusion_matrix([0, 0, 0, 1], [0, 0, 1, 1], num_classes=2)
    assert matrix.tolist() == [[2, 1], [0, 1]]


def test_confusion_matrix_row_normalised():
    matrix = confusion_matrix([0, 0, 0, 1], [0, 0, 1, 1], num_classes=2, normalize=True)
    np.testing.assert_allclose(matrix, [[2 / 3, 1 / 3], [0.0, 1.0]])


def test_confusion_matrix_absent_class_row_is_zero():
    matrix = confusion_matrix(torch.tensor([0, 2, 2]), torch.tensor([0, 1, 2]), num_classes=3, normalize=True)
    assert matrix.shape == (3, 3)
    assert not np.isnan(matrix).any()
    assert matrix[1].tolist() == [0.0, 0.0, 0.0]
    assert matrix[2].tolist() == [0.0, 0.5, 0.5]


def test_confusion_matrix_rejects_out_of_range():
    with pytest.raises(ValueError, match="0..1"):
        confusion_matrix([0, 2], [0, 1], num_classes=2)


def test_most_confused_orders_off_diagonal():
    matrix = np.array([[5, 3, 0], [1, 4, 0], [0, 7, 2]])
    table = most_confused(matrix, ["a", "b", "c"], top=2)
    assert table.iloc[:, 0].tolist() == ["c", "a"]
    assert table.iloc[:, 1].tolist() == ["b", "b"]
    assert table.iloc[:, 2].tolist() == [7, 3]


def _result(name, train_acc, test_acc, grad_flow=None):
    return TrainResult(
        model_name=name, dataset="mnist", params=100, config=TrainConfig(), history=[],
        train_time_s=1.5, inference_time_s=0.25, train_acc=train_acc, test_acc=test_acc, test_loss=0.1,
        device="cpu", precision="bf16", memory_format="channels_last", grad_flow=grad_flow or {},
    )


def test_comparison_table_headers_follow_language():
    results = [_result("A", 0.99, 0.95), _result("B", 0.9, 0.9)]
    try:
        text.set_language("ru")
        russian = comparison_table(results)
        text.set_language("en")
        english = comparison_table(results)
    finally:
        text.set_language("ru")
    for header in ["Модель", "Время обучения (сек)", "Время inference (сек)", "Точность (train)",
                   "Точность (test)", "Параметры"]:
        assert header in russian.columns
    assert "Training time (s)" in english.columns
    gap_header = russian.columns[5]
    assert russian[gap_header].tolist() == pytest.approx([0.04, 0.0])


def test_gradient_ratio_first_over_last():
    flow = {1: [{"layer": "a", "mean_abs_grad": 1e-4}, {"layer": "b", "mean_abs_grad": 1e-2}]}
    assert gradient_ratio(_result("A", 1, 1, flow), 1) == pytest.approx(0.01)
