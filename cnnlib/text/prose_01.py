"""Prose of notebook 01 (CNN vs fully connected networks), Markdown."""

CATALOG: dict[str, dict[str, str]] = {
    "nb01.title": {
        "ru": (
            "# 1. Сверточные сети против полносвязных\n\n"
            "Сравниваем полносвязные сети (FC) и сверточные (CNN, в том числе с residual-связями) "
            "на MNIST и CIFAR-10 при **одинаковых гиперпараметрах обучения**: точность на обучающей и "
            "тестовой выборке, время обучения и inference, число параметров, кривые обучения, "
            "матрицы ошибок и поток градиентов.\n\n"
            "Все числа в таблицах и выводах вычисляются из результатов этого запуска; "
            "ни одно не вписано вручную."
        ),
        "en": (
            "# 1. Convolutional vs fully connected networks\n\n"
            "We compare fully connected networks (FC) and convolutional ones (CNN, including residual "
            "ones) on MNIST and CIFAR-10 under **the same training hyperparameters**: train and test "
            "accuracy, training and inference time, parameter count, learning curves, confusion "
            "matrices and gradient flow.\n\n"
            "Every number in the tables and conclusions is computed from this run's results; "
            "none is typed by hand."
        ),
    },
    "nb01.setup": {
        "ru": (
            "**Профиль запуска:** `{profile}` · **устройство:** `{device}` · **точность вычислений:** "
            "`{precision}` · **seed:** {seeds} (запусков каждой модели: {runs}).\n\n"
            "Таблицы показывают среднее ± стандартное отклонение по запускам с разными seed; "
            "готовые результаты из `results/` используются повторно (параметр `force=True` обучает заново).\n\n"
            "Профиль `smoke` проверяет, что код работает (крошечные выборки, одна эпоха); `quick` "
            "рассчитан на ноутбук без GPU; `full` — полные датасеты (рекомендуется GPU)."
        ),
        "en": (
            "**Profile:** `{profile}` · **device:** `{device}` · **precision:** `{precision}` · "
            "**seeds:** {seeds} ({runs} run(s) of each model).\n\n"
            "Tables show the mean ± standard deviation over runs with different seeds; finished "
            "results in `results/` are reused (the `force=True` parameter retrains).\n\n"
            "The `smoke` profile checks that the code runs (tiny subsets, one epoch); `quick` fits a "
            "laptop CPU; `full` uses the whole datasets (a GPU is recommended)."
        ),
    },
    "nb01.synthetic_warning": {
        "ru": (
            "> **Внимание:** настоящие данные {dataset} не найдены, используются сгенерированные. "
            "Числа ниже проверяют только работу кода, а не качество моделей."
        ),
        "en": (
            "> **Warning:** the real {dataset} data was not found, so generated data is used. "
            "The numbers below only check that the code runs, not how well the models learn."
        ),
    },
    "nb01.section_mnist": {
        "ru": (
            "## 1.1 MNIST: FC_3layer, SimpleCNN, ResCNN\n\n"
            "Рукописные цифры 28×28, один канал. Полносвязная сеть видит изображение как вектор из "
            "784 чисел и не знает, какие пиксели соседние; сверточная сеть применяет одни и те же "
            "небольшие фильтры ко всем участкам изображения (разделяемые веса, локальность), поэтому "
            "ей нужно меньше параметров на тот же признак."
        ),
        "en": (
            "## 1.1 MNIST: FC_3layer, SimpleCNN, ResCNN\n\n"
            "Handwritten digits, 28×28, one channel. A fully connected network sees the image as a "
            "vector of 784 numbers and does not know which pixels are neighbours; a convolutional "
            "network applies the same small filters to every part of the image (shared weights, "
            "locality), so it needs fewer parameters for the same feature."
        ),
    },
    "nb01.section_cifar": {
        "ru": (
            "## 1.2 CIFAR-10: FC_deep, ResCNN, RegResCNN\n\n"
            "Цветные изображения 32×32 из 10 классов — задача заметно труднее MNIST. Здесь сравниваем "
            "глубокую полносвязную сеть, residual CNN и ту же residual CNN с регуляризацией: "
            "dropout, weight decay и аугментация (случайный сдвиг и отражение). Batch norm есть "
            "в обеих residual-сетях, поэтому их разница показывает вклад именно регуляризации."
        ),
        "en": (
            "## 1.2 CIFAR-10: FC_deep, ResCNN, RegResCNN\n\n"
            "Colour 32×32 images of 10 classes: a much harder task than MNIST. We compare a deep fully "
            "connected network, a residual CNN, and the same residual CNN with regularisation: "
            "dropout, weight decay and augmentation (random shift and flip). Both residual networks "
            "have batch norm, so their difference shows what the regularisation itself does."
        ),
    },
    "nb01.models": {"ru": "### Модели", "en": "### Models"},
    "nb01.results_table": {
        "ru": (
            "### Сравнительная таблица\n\n"
            "Каждая ячейка — среднее ± стандартное отклонение по запускам с разными seed "
            "(одно число, если запуск один). Время обучения — только шаги обучения (без оценки по эпохам); время inference — "
            "весь тестовый набор в режиме eval без autograd после прогревочного батча. "
            "Точность (train) посчитана после обучения в режиме eval на всей обучающей выборке."
        ),
        "en": (
            "### Comparison table\n\n"
            "Each cell is the mean ± standard deviation over runs with different seeds (a single "
            "number when there is one run). Training time counts the training steps only (not the per-epoch evaluation); inference "
            "time is the whole test set in eval mode without autograd, after a warm-up batch. "
            "Accuracy (train) is measured after training, in eval mode, over the whole training set."
        ),
    },
    "nb01.curves": {
        "ru": (
            "### Кривые обучения\n\nСплошная линия — обучающая выборка, пунктир — тестовая; "
            "линия — среднее по seed, полоса — ± стандартное отклонение."
        ),
        "en": (
            "### Learning curves\n\nSolid lines are the training set, dashed lines the test set; "
            "a line is the mean over seeds, the band ± one standard deviation."
        ),
    },
    "nb01.comparison": {
        "ru": (
            "### FC и CNN бок о бок\n\nСерым — полносвязные модели, синим — сверточные. Высота столбца — "
            "среднее по seed, черта — ± стандартное отклонение."
        ),
        "en": (
            "### FC and CNN side by side\n\nGrey: fully connected models; blue: convolutional ones. A bar "
            "is the mean over seeds, the whisker ± one standard deviation."
        ),
    },
    "nb01.confusion": {
        "ru": (
            "### Матрицы ошибок\n\n"
            "Строки — истинные классы, столбцы — предсказанные. Слева — число примеров, справа — "
            "доли по строкам (какая часть примеров класса куда попала). Показан запуск с первым seed."
        ),
        "en": (
            "### Confusion matrices\n\n"
            "Rows are true classes, columns predicted ones. Left: counts; right: row-normalised "
            "(where the examples of each class went). The run with the first seed is shown."
        ),
    },
    "nb01.most_confused": {
        "ru": "Чаще всего путаемые пары классов у модели **{model}**:",
        "en": "The pairs of classes **{model}** confuses most:",
    },
    "nb01.gradient_flow": {
        "ru": (
            "### Поток градиентов\n\n"
            "Средний и максимальный |градиент| весов каждого слоя на последнем батче выбранных "
            "эпох (шкала логарифмическая). Если градиент у входных слоев на порядки меньше, чем у "
            "выходных, ранние слои почти не обучаются (затухание градиента). Показан запуск с первым seed."
        ),
        "en": (
            "### Gradient flow\n\n"
            "Mean and maximum |gradient| of each layer's weights on the last batch of the chosen "
            "epochs (log scale). When the input-side layers get gradients orders of magnitude smaller "
            "than the output side, the early layers barely learn (vanishing gradient). The run with the "
            "first seed is shown."
        ),
    },
    "nb01.conclusions_title": {"ru": "### Выводы: {dataset}", "en": "### Conclusions: {dataset}"},
    "nb01.final_title": {"ru": "## Данные этого запуска", "en": "## Data of this run"},
}

# Sentences of the generated conclusions (cnnlib.narrative). Accuracies arrive
# formatted as "98.93% ± 0.12" (mean ± std over seeds, std in points).
CATALOG.update(
    {
        "conclusion.best": {
            "ru": (
                "- Лучшая средняя точность на тесте у **{model}**: {acc}; следующая у **{runner}**: "
                "{runner_acc}; {verdict}."
            ),
            "en": (
                "- The best mean test accuracy is **{model}**'s: {acc}; the next is **{runner}**'s: "
                "{runner_acc}; {verdict}."
            ),
        },
        "conclusion.best_only": {
            "ru": "- Точность на тесте у **{model}**: {acc}.",
            "en": "- The test accuracy of **{model}** is {acc}.",
        },
        "conclusion.cnn_vs_fc": {
            "ru": (
                "- **{cnn}** точнее полносвязной **{fc}** на {points:.1f} п.п. ({cnn_acc} против "
                "{fc_acc}), имея {params_ratio_text} параметров; {verdict}."
            ),
            "en": (
                "- **{cnn}** beats the fully connected **{fc}** by {points:.1f} points ({cnn_acc} vs "
                "{fc_acc}) with {params_ratio_text} parameters; {verdict}."
            ),
        },
        "conclusion.fc_vs_cnn": {
            "ru": (
                "- Полносвязная **{fc}** не уступила **{cnn}**: {fc_acc} против {cnn_acc}; {verdict} "
                "(например, так бывает на крошечных выборках и при одной эпохе)."
            ),
            "en": (
                "- The fully connected **{fc}** did not lose to **{cnn}**: {fc_acc} vs {cnn_acc}; {verdict} "
                "(this happens, for example, on tiny subsets and a single epoch)."
            ),
        },
        "conclusion.params_fewer": {"ru": "в {ratio:.1f} раза меньше", "en": "{ratio:.1f} times fewer"},
        "conclusion.params_more": {"ru": "в {ratio:.1f} раза больше", "en": "{ratio:.1f} times more"},
        "conclusion.speed": {
            "ru": (
                "- Быстрее всех обучается **{fastest}** ({fastest_s:.1f} с в среднем), дольше всех — "
                "**{slowest}** ({slowest_s:.1f} с); inference всего теста: от {inf_min:.2f} с "
                "(**{inf_fastest}**) до {inf_max:.2f} с (**{inf_slowest}**)."
            ),
            "en": (
                "- **{fastest}** trains fastest ({fastest_s:.1f} s on average), **{slowest}** slowest "
                "({slowest_s:.1f} s); inference over the whole test set takes from {inf_min:.2f} s "
                "(**{inf_fastest}**) to {inf_max:.2f} s (**{inf_slowest}**)."
            ),
        },
        "conclusion.gap": {
            "ru": (
                "- Наибольший средний разрыв train − test у **{model}** ({gap:.3f}), наименьший у "
                "**{low_model}** ({low_gap:.3f}); {verdict}. Чем больше разрыв, тем сильнее модель "
                "переобучается."
            ),
            "en": (
                "- The largest mean train − test gap is **{model}**'s ({gap:.3f}), the smallest "
                "**{low_model}**'s ({low_gap:.3f}); {verdict}. The larger the gap, the more the model overfits."
            ),
        },
        "conclusion.gradients": {
            "ru": (
                "- Отношение среднего |градиента| первого слоя к последнему на эпохе {epoch} (seed {seed}): "
                "{ratios} (около 1 — градиент доходит до входных слоев без потерь; намного меньше 1 — "
                "затухает по пути к входу; больше 1 — у входных слоев градиент крупнее, чем у выходного)."
            ),
            "en": (
                "- Ratio of the first layer's mean |gradient| to the last layer's at epoch {epoch} (seed {seed}): "
                "{ratios} (near 1: the gradient reaches the input layers intact; far below 1: it vanishes on "
                "the way to the input; above 1: the input layers get larger gradients than the output layer)."
            ),
        },
        "conclusion.diverged": {
            "ru": "- Обучение **{model}** разошлось (loss стал NaN/inf); модель не участвует в сравнении.",
            "en": "- Training of **{model}** diverged (the loss became NaN/inf); it is left out of the comparison.",
        },
        "conclusion.diverged_some": {
            "ru": (
                "- Обучение **{model}** разошлось в {diverged} из {runs} запусков; в сравнении участвуют "
                "только завершенные запуски."
            ),
            "en": (
                "- Training of **{model}** diverged in {diverged} of {runs} runs; only the finished runs "
                "enter the comparison."
            ),
        },
        "conclusion.regularisation": {
            "ru": (
                "- Регуляризация (**{reg}** против **{base}**) {gap_verb} средний разрыв train − test с "
                "{base_gap:.3f} до {reg_gap:.3f} ({gap_verdict}), а точность на тесте изменилась на "
                "{points:+.1f} п.п. ({reg_acc} против {base_acc}; {acc_verdict})."
            ),
            "en": (
                "- Regularisation (**{reg}** vs **{base}**) {gap_verb} the mean train − test gap from "
                "{base_gap:.3f} to {reg_gap:.3f} ({gap_verdict}), and the test accuracy changed by "
                "{points:+.1f} points ({reg_acc} vs {base_acc}; {acc_verdict})."
            ),
        },
        "conclusion.gap_narrowed": {"ru": "сократила", "en": "narrowed"},
        "conclusion.gap_widened": {"ru": "увеличила", "en": "widened"},
    }
)
