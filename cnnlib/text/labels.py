"""Table headers, axis labels, plot titles, progress text and model descriptions."""

CATALOG: dict[str, dict[str, str]] = {
    # What a setting expects, used inside error messages.
    "expected.positive_int": {"ru": "целое число больше нуля", "en": "an integer greater than zero"},
    "expected.int": {"ru": "целое число", "en": "an integer"},
    "expected.non_negative_number": {"ru": "неотрицательное число", "en": "a non-negative number"},
    "expected.seeds": {
        "ru": "число запусков больше нуля или список разных целых seed, например 3 или [0, 1, 2]",
        "en": "a run count above zero or a list of distinct integer seeds, for example 3 or [0, 1, 2]",
    },
    "expected.bool_or_none": {"ru": "True / False / None", "en": "True / False / None"},
    # CIFAR-10 class names (MNIST's digits need none).
    "class.airplane": {"ru": "самолет", "en": "airplane"},
    "class.automobile": {"ru": "автомобиль", "en": "automobile"},
    "class.bird": {"ru": "птица", "en": "bird"},
    "class.cat": {"ru": "кошка", "en": "cat"},
    "class.deer": {"ru": "олень", "en": "deer"},
    "class.dog": {"ru": "собака", "en": "dog"},
    "class.frog": {"ru": "лягушка", "en": "frog"},
    "class.horse": {"ru": "лошадь", "en": "horse"},
    "class.ship": {"ru": "корабль", "en": "ship"},
    "class.truck": {"ru": "грузовик", "en": "truck"},
    "expected.grad_flow_epochs": {
        "ru": "номера эпох, начиная с 1, 0 для первого шага (начальные веса), -1 для последней или \"all\" для всех",
        "en": "epoch numbers starting at 1, 0 for the first step (initial weights), -1 for the last one, or \"all\" for every epoch",
    },
    # Progress.
    "progress.unit": {"ru": "батч", "en": "batch"},
    "progress.postfix": {
        "ru": "эпоха {epoch}/{epochs}, loss {loss:.3f}, точность {acc:.3f}, test {test_acc:.3f}",
        "en": "epoch {epoch}/{epochs}, loss {loss:.3f}, acc {acc:.3f}, test {test_acc:.3f}",
    },
    "progress.line": {
        "ru": (
            "{model}: эпоха {epoch}/{epochs}  train loss {loss:.4f}  точность {acc:.4f}  "
            "test loss {test_loss:.4f}  точность {test_acc:.4f}  ({seconds:.1f} с)"
        ),
        "en": (
            "{model}: epoch {epoch}/{epochs}  train loss {loss:.4f}  acc {acc:.4f}  "
            "test loss {test_loss:.4f}  acc {test_acc:.4f}  ({seconds:.1f} s)"
        ),
    },
    # Table columns.
    "column.model": {"ru": "Модель", "en": "Model"},
    "column.train_time_s": {"ru": "Время обучения (сек)", "en": "Training time (s)"},
    "column.inference_time_s": {"ru": "Время inference (сек)", "en": "Inference time (s)"},
    "column.train_acc": {"ru": "Точность (train)", "en": "Accuracy (train)"},
    "column.test_acc": {"ru": "Точность (test)", "en": "Accuracy (test)"},
    "column.gap": {"ru": "Разрыв train − test", "en": "Train − test gap"},
    "column.params": {"ru": "Параметры", "en": "Parameters"},
    "column.setup": {"ru": "Устройство · точность вычислений · формат", "en": "Device · precision · memory format"},
    "column.seed": {"ru": "Seed", "en": "Seed"},
    "column.runs": {"ru": "Запусков (seed)", "en": "Runs (seeds)"},
    "table.runs_diverged": {
        "ru": "{finished} из {runs} (остальные разошлись)",
        "en": "{finished} of {runs} (the rest diverged)",
    },
    "column.true_class": {"ru": "Истинный класс", "en": "True class"},
    "column.predicted_class": {"ru": "Предсказанный класс", "en": "Predicted class"},
    "column.count": {"ru": "Число ошибок", "en": "Errors"},
    "column.dataset": {"ru": "Датасет", "en": "Dataset"},
    "column.train_size": {"ru": "Обучающая выборка", "en": "Training set"},
    "column.test_size": {"ru": "Тестовая выборка", "en": "Test set"},
    "column.epochs": {"ru": "Эпохи", "en": "Epochs"},
    "column.source": {"ru": "Источник", "en": "Source"},
    "column.description": {"ru": "Описание", "en": "Description"},
    "column.overrides": {"ru": "Особые настройки обучения", "en": "Own training settings"},
    # Axes and legends.
    "axis.loss": {"ru": "Функция потерь (cross-entropy)", "en": "Loss (cross-entropy)"},
    "axis.accuracy": {"ru": "Точность", "en": "Accuracy"},
    "axis.epoch": {"ru": "Эпоха", "en": "Epoch"},
    "axis.predicted": {"ru": "Предсказанный класс", "en": "Predicted class"},
    "axis.true": {"ru": "Истинный класс", "en": "True class"},
    "axis.abs_grad": {"ru": "|градиент|", "en": "|gradient|"},
    "legend.train": {"ru": "train", "en": "train"},
    "axis.not_from_zero": {"ru": "ось не от нуля", "en": "axis does not start at zero"},
    "legend.test": {"ru": "test", "en": "test"},
    "legend.grad_mean": {"ru": "среднее, эпоха {epoch}", "en": "mean, epoch {epoch}"},
    "legend.grad_max": {"ru": "максимум, эпоха {epoch}", "en": "max, epoch {epoch}"},
    "legend.grad_shortcut": {
        "ru": "среднее, shortcut 1x1, эпоха {epoch}",
        "en": "mean, 1x1 shortcut, epoch {epoch}",
    },
    # Titles.
    "title.learning_curves": {"ru": "Кривые обучения", "en": "Learning curves"},
    "title.comparison": {"ru": "Сравнение моделей", "en": "Model comparison"},
    "title.confusion_counts": {"ru": "число примеров", "en": "counts"},
    "title.confusion_normalized": {"ru": "доли по строкам", "en": "row-normalised"},
    "title.gradient_flow": {
        "ru": "Поток градиентов по слоям (веса, от входа к выходу)",
        "en": "Gradient flow per layer (weights, input to output)",
    },
    # Model descriptions.
    "model.FC_3layer": {
        "ru": "полносвязная сеть: 3 линейных слоя",
        "en": "fully connected: 3 linear layers",
    },
    "model.FC_deep": {
        "ru": "глубокая полносвязная сеть: 5 линейных слоев",
        "en": "deep fully connected: 5 linear layers",
    },
    "model.SimpleCNN": {
        "ru": "простая CNN: 2 сверточных слоя с max-pooling и 2 линейных",
        "en": "simple CNN: 2 conv layers with max pooling and 2 linear layers",
    },
    "model.ResCNN": {
        "ru": "CNN с residual-блоками и batch norm",
        "en": "CNN with residual blocks and batch norm",
    },
    "model.RegResCNN": {
        "ru": "ResCNN + dropout, weight decay и аугментация (batch norm — как в ResCNN)",
        "en": "ResCNN + dropout, weight decay and augmentation (batch norm as in ResCNN)",
    },
    "model.KernelCNN": {
        "ru": "CNN из трёх стадий conv-BN-ReLU с заданной раскладкой ядер",
        "en": "three-stage conv-BN-ReLU CNN in one kernel layout",
    },
    "model.DepthCNN": {
        "ru": "стопка свёрток 3x3 заданной глубины без batch norm, с residual-связями или без",
        "en": "stack of 3x3 convs of a given depth without batch norm, with or without residual links",
    },
}
