"""Custom layers, residual blocks and stability measures: errors, table headers and labels."""

CATALOG: dict[str, dict[str, str]] = {
    # Errors for bad layer arguments and inputs.
    "layers.error.not_tensor": {
        "ru": "{layer}: вход должен быть torch.Tensor, получен {type}. Преобразуйте его: torch.as_tensor(x).",
        "en": "{layer}: the input must be a torch.Tensor, got {type}. Convert it with torch.as_tensor(x).",
    },
    "layers.error.not_float": {
        "ru": "{layer}: вход должен быть тензором с плавающей точкой, получен dtype {dtype}. Приведите его: x.float().",
        "en": "{layer}: the input must be a floating-point tensor, got dtype {dtype}. Cast it with x.float().",
    },
    "layers.error.rank": {
        "ru": (
            "{layer}: ожидался тензор формы {expected}, получена форма {shape} ({ndim} измерений). "
            "Для одного изображения добавьте ось батча: x.unsqueeze(0)."
        ),
        "en": (
            "{layer}: expected a tensor of shape {expected}, got shape {shape} ({ndim} dimensions). "
            "For a single image add the batch axis: x.unsqueeze(0)."
        ),
    },
    "layers.error.channels": {
        "ru": (
            "{layer}: у входа {got} каналов, а слой создан для {expected} ({name}={expected}). "
            "Создайте слой с {name}={got} или исправьте предыдущий слой."
        ),
        "en": (
            "{layer}: the input has {got} channels, but the layer was built for {expected} ({name}={expected}). "
            "Build the layer with {name}={got} or fix the layer before it."
        ),
    },
    "layers.error.positive": {
        "ru": "{layer}: параметр {name} должен быть больше нуля, получено {value!r}. Укажите положительное значение.",
        "en": "{layer}: {name} must be greater than zero, got {value!r}. Pass a positive value.",
    },
    "layers.error.number": {
        "ru": "{layer}: параметр {name} должен быть числом, получено {value!r} (тип {type}).",
        "en": "{layer}: {name} must be a number, got {value!r} (type {type}).",
    },
    "layers.error.positive_int": {
        "ru": "{layer}: параметр {name} должен быть целым числом больше нуля, получено {value!r} (тип {type}).",
        "en": "{layer}: {name} must be an integer greater than zero, got {value!r} (type {type}).",
    },
    "layers.error.non_negative_int": {
        "ru": "{layer}: параметр {name} должен быть целым числом не меньше нуля, получено {value!r} (тип {type}).",
        "en": "{layer}: {name} must be an integer of at least zero, got {value!r} (type {type}).",
    },
    "layers.error.odd_kernel": {
        "ru": (
            "{layer}: размер ядра {name} должен быть нечетным, чтобы отступ сохранял размер карты, "
            "получено {value!r}. Укажите, например, {suggestion}."
        ),
        "en": (
            "{layer}: kernel size {name} must be odd so that padding keeps the map size, "
            "got {value!r}. Use, for example, {suggestion}."
        ),
    },
    "layers.error.probability": {
        "ru": "{layer}: вероятность {name} должна лежать в [0, 1), получено {value!r}.",
        "en": "{layer}: probability {name} must lie in [0, 1), got {value!r}.",
    },
    "layers.error.unknown_impl": {
        "ru": "Неизвестная реализация слоев {value!r}. Допустимо: {known}.",
        "en": "Unknown layer implementation {value!r}. Allowed: {known}.",
    },
    "layers.error.unknown_layer": {
        "ru": "Неизвестный слой {value!r} для замера. Известные слои: {known}.",
        "en": "Unknown layer {value!r} to benchmark. Known layers: {known}.",
    },
    "layers.error.unknown_metric": {
        "ru": "Неизвестная метрика {value!r}. В истории обучения есть: {known}.",
        "en": "Unknown metric {value!r}. The training history has: {known}.",
    },
    "layers.error.unknown_band": {
        "ru": "Неизвестный тип полосы {value!r}. Допустимо: {known}.",
        "en": "Unknown band kind {value!r}. Allowed: {known}.",
    },
    "layers.error.bad_input_shape": {
        "ru": "input_shape должен быть (C, H, W) из целых чисел больше нуля, получено {value!r}.",
        "en": "input_shape must be (C, H, W) of integers greater than zero, got {value!r}.",
    },
    "layers.error.missing_columns": {
        "ru": "В таблице нет столбцов {missing}. Постройте ее функцией cnnlib.stability.curve_bands.",
        "en": "The table lacks the columns {missing}. Build it with cnnlib.stability.curve_bands.",
    },
    "layers.error.no_runs": {
        "ru": "Нет ни одного запуска с историей обучения для модели {model!r}.",
        "en": "No run with a training history for model {model!r}.",
    },
    # Layer benchmark table headers (the frame's columns keep plain identifiers).
    "layer_bench.column.layer": {"ru": "Слой", "en": "Layer"},
    "layer_bench.column.custom_forward_ms": {
        "ru": "Прямой проход, свой (мс)",
        "en": "Forward, custom (ms)",
    },
    "layer_bench.column.standard_forward_ms": {
        "ru": "Прямой проход, стандартный (мс)",
        "en": "Forward, standard (ms)",
    },
    "layer_bench.column.custom_backward_ms": {
        "ru": "Обратный проход, свой (мс)",
        "en": "Backward, custom (ms)",
    },
    "layer_bench.column.standard_backward_ms": {
        "ru": "Обратный проход, стандартный (мс)",
        "en": "Backward, standard (ms)",
    },
    "layer_bench.column.custom_saved_bytes": {
        "ru": "Сохранено для backward, свой (байт)",
        "en": "Saved for backward, custom (bytes)",
    },
    "layer_bench.column.standard_saved_bytes": {
        "ru": "Сохранено для backward, стандартный (байт)",
        "en": "Saved for backward, standard (bytes)",
    },
    "layer_bench.column.custom_peak_bytes": {
        "ru": "Пик памяти GPU, свой (байт)",
        "en": "Peak GPU memory, custom (bytes)",
    },
    "layer_bench.column.standard_peak_bytes": {
        "ru": "Пик памяти GPU, стандартный (байт)",
        "en": "Peak GPU memory, standard (bytes)",
    },
    "layer_bench.column.device": {"ru": "Устройство", "en": "Device"},
    "layer_bench.column.input_shape": {"ru": "Форма входа", "en": "Input shape"},
    # Stability table headers.
    "stability.column.model": {"ru": "Модель", "en": "Model"},
    "stability.column.seeds": {"ru": "Число сидов", "en": "Seeds"},
    "stability.column.final_test_acc_mean": {
        "ru": "Итоговая точность (test), среднее",
        "en": "Final test accuracy, mean",
    },
    "stability.column.final_test_acc_std": {
        "ru": "Разброс итоговой точности (std по seed)",
        "en": "Final test accuracy spread (std over seeds)",
    },
    "stability.column.test_loss_jitter": {
        "ru": "Средний скачок test loss между эпохами",
        "en": "Mean epoch-to-epoch test loss change",
    },
    "stability.column.grad_norm_spike": {
        "ru": "Наибольший всплеск нормы градиента (раз к медиане)",
        "en": "Largest gradient-norm spike (times the median)",
    },
    # Curve figure labels.
    "stability.title.curves": {
        "ru": "Кривые обучения по seed: среднее и {band}",
        "en": "Learning curves over seeds: mean and {band}",
    },
    "stability.band.std": {"ru": "±1 std", "en": "±1 std"},
    "stability.band.minmax": {"ru": "min–max", "en": "min–max"},
    # Model descriptions.
    "model.StandardLayersCNN": {
        "ru": "CNN со scaled conv, Swish, SE + пространственным вниманием и GeM на встроенных операциях torch (autograd)",
        "en": "CNN with scaled conv, Swish, SE + spatial attention and GeM from torch built-ins (autograd)",
    },
    "model.CustomLayersCNN": {
        "ru": "та же CNN, слои — собственные autograd.Function с ручным backward",
        "en": "the same CNN, its layers custom autograd.Functions with hand-written backward",
    },
    "model.ResNet-basic": {
        "ru": "ResNet из basic-блоков (две свертки 3x3)",
        "en": "ResNet of basic blocks (two 3x3 convs)",
    },
    "model.ResNet-bottleneck": {
        "ru": "ResNet из bottleneck-блоков (1x1-3x3-1x1, расширение 4)",
        "en": "ResNet of bottleneck blocks (1x1-3x3-1x1, expansion 4)",
    },
    "model.ResNet-wide": {
        "ru": "ResNet из wide-блоков (ширина x2, dropout между свертками 3x3)",
        "en": "ResNet of wide blocks (width x2, dropout between the 3x3 convs)",
    },
}
