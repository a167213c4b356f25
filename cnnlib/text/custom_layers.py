"""Headers and cell texts of the layer-check table and the residual-block table (notebook 03)."""

CATALOG: dict[str, dict[str, str]] = {
    # Layer checks (cnnlib.layer_checks).
    "checks.column.layer": {"ru": "Слой", "en": "Layer"},
    "checks.column.gradcheck_passed": {"ru": "gradcheck пройден", "en": "gradcheck passed"},
    "checks.column.gradcheck_total": {"ru": "Вариантов gradcheck", "en": "gradcheck variants"},
    "checks.column.gradcheck_failed": {"ru": "Не прошли gradcheck", "en": "Failed gradcheck"},
    "checks.column.analogue": {"ru": "Стандартный аналог", "en": "Standard analogue"},
    "checks.column.forward_max_abs_diff": {
        "ru": "Макс. |разница| forward",
        "en": "Max |difference|, forward",
    },
    "checks.column.grad_max_abs_diff": {
        "ru": "Макс. |разница| градиентов",
        "en": "Max |difference|, gradients",
    },
    "checks.column.gradients_compared": {"ru": "Сравнены градиенты по", "en": "Gradients compared"},
    "checks.analogue.conv": {"ru": "F.conv2d (scale = 1)", "en": "F.conv2d (scale = 1)"},
    "checks.analogue.silu": {"ru": "F.silu (beta = 1)", "en": "F.silu (beta = 1)"},
    "checks.analogue.avg_pool": {
        "ru": "среднее по изображению, adaptive_avg_pool2d (p = 1)",
        "en": "global average pooling, adaptive_avg_pool2d (p = 1)",
    },
    "checks.analogue.reference": {
        "ru": "та же формула на операциях torch (autograd)",
        "en": "the same formula from torch operations (autograd)",
    },
    # Residual-block table (cnnlib.block_study).
    "blocks.column.block": {"ru": "Блок", "en": "Block"},
    "blocks.column.mflops": {
        "ru": "MFLOPs (forward, 1 изображение)",
        "en": "MFLOPs (forward, 1 image)",
    },
    "blocks.column.final_test_acc_std": {
        "ru": "Разброс точности (test) по seed, п.п.",
        "en": "Test accuracy spread over seeds, points",
    },
    "blocks.column.test_loss_jitter": {
        "ru": "Средний скачок test loss между эпохами",
        "en": "Mean epoch-to-epoch test loss change",
    },
    "blocks.column.grad_norm_spike": {
        "ru": "Макс. всплеск нормы градиента (× медианы)",
        "en": "Max gradient-norm spike (× median)",
    },
    # Layer benchmark figure (cnnlib.plotting_blocks.plot_layer_bench).
    "layer_bench.title": {
        "ru": "Свои слои против стандартных ({device}, вход {shape})",
        "en": "Custom vs standard layers ({device}, input {shape})",
    },
    "layer_bench.title.time": {"ru": "Время forward + backward", "en": "Forward + backward time"},
    "layer_bench.title.memory": {"ru": "Сохранено для backward", "en": "Saved for backward"},
    "layer_bench.axis.ms": {"ru": "мс (медиана)", "en": "ms (median)"},
    "layer_bench.axis.mib": {"ru": "МиБ", "en": "MiB"},
    "layer_bench.legend.custom": {"ru": "свой", "en": "custom"},
    "layer_bench.legend.standard": {"ru": "стандартный", "en": "standard"},
}
