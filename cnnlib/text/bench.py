"""Strings of the speed benchmark (`python -m cnnlib.bench`), the parity run and the fast-path warnings."""

CATALOG: dict[str, dict[str, str]] = {
    "warning.compile_failed": {
        "ru": "torch.compile не сработал ({reason}); модель обучается без компиляции.",
        "en": "torch.compile failed ({reason}); the model trains without compilation.",
    },
    "bench.environment": {
        "ru": "torch {torch}, потоков CPU: {threads}, устройство: {device}",
        "en": "torch {torch}, CPU threads: {threads}, device: {device}",
    },
    "bench.title": {
        "ru": (
            "{model}, вход {shape}, устройство {device}: батч {batch_size}, {steps} измеряемых шагов "
            "после {warmup} разогревочных, лучший из {rounds} раундов; инференс на {inference_images} изображениях"
        ),
        "en": (
            "{model}, input {shape}, device {device}: batch {batch_size}, {steps} timed steps "
            "after {warmup} warm-up steps, best of {rounds} rounds; inference over {inference_images} images"
        ),
    },
    "bench.column.path": {"ru": "путь", "en": "path"},
    "bench.column.precision": {"ru": "точность вычислений", "en": "precision"},
    "bench.column.memory_format": {"ru": "формат памяти", "en": "memory format"},
    "bench.column.train": {"ru": "обучение, изобр./с", "en": "train img/s"},
    "bench.column.inference": {"ru": "инференс, изобр./с", "en": "inference img/s"},
    "bench.path.reference": {"ru": "эталон", "en": "reference"},
    "bench.path.cnnlib": {"ru": "cnnlib", "en": "cnnlib"},
    "bench.path.cnnlib_compiled": {"ru": "cnnlib+compile", "en": "cnnlib+compile"},
    "bench.speedup": {"ru": "ускорение", "en": "speedup"},
    "bench.flops": {
        "ru": (
            "шаг обучения cnnlib: {step_gflop:.3f} GFLOP, достигнуто {achieved_gflops:.1f} GFLOP/s; "
            "пик умножения матриц ({precision}): {peak_gflops:.1f} GFLOP/s; доля пика {fraction:.3f}"
        ),
        "en": (
            "cnnlib training step: {step_gflop:.3f} GFLOP, achieved {achieved_gflops:.1f} GFLOP/s; "
            "matrix-multiply peak ({precision}): {peak_gflops:.1f} GFLOP/s; fraction of peak {fraction:.3f}"
        ),
    },
    "bench.bad_model_spec": {
        "ru": "Неверная модель {value!r}: ожидалось ИМЯ или ИМЯ:CxHxW с положительными размерами, например SimpleCNN:1x28x28.",
        "en": "Invalid model {value!r}: expected NAME or NAME:CxHxW with positive sizes, for example SimpleCNN:1x28x28.",
    },
    "bench.bad_channels": {
        "ru": (
            "Неверная модель {value!r}: эталон читает изображения как MNIST или CIFAR10 из torchvision, "
            "поэтому каналов должно быть 1 или 3, а не {channels}."
        ),
        "en": (
            "Invalid model {value!r}: the reference reads images as torchvision's MNIST or CIFAR10 does, "
            "so the images need 1 or 3 channels, not {channels}."
        ),
    },
    "bench.device_unavailable": {
        "ru": "Устройство {value!r} недоступно на этой машине. Укажите --device auto или --device cpu.",
        "en": "Device {value!r} is not available on this machine. Use --device auto or --device cpu.",
    },
    "bench.bad_positive_int": {
        "ru": "Ожидалось целое число не меньше 1, получено {value!r}.",
        "en": "Expected an integer of at least 1, got {value!r}.",
    },
    "bench.bad_non_negative_int": {
        "ru": "Ожидалось неотрицательное целое число, получено {value!r}.",
        "en": "Expected a non-negative integer, got {value!r}.",
    },
    "bench.help.description": {
        "ru": (
            "Сравнивает на случайных данных скорость обучения и инференса в обычном учебном цикле "
            "(датасет MNIST или CIFAR10 из torchvision с ToTensor и Normalize для каждого изображения, "
            "DataLoader, float32, NCHW) и в cnnlib."
        ),
        "en": (
            "Compares the speed of the usual course training loop (torchvision's MNIST or CIFAR10 dataset "
            "with per-image ToTensor and Normalize, a DataLoader, float32, NCHW) with cnnlib's path "
            "on random data."
        ),
    },
    "bench.help.models": {
        "ru": "модели в виде ИМЯ или ИМЯ:CxHxW (если форма не указана, вход 3x32x32); по умолчанию: {default}",
        "en": "models as NAME or NAME:CxHxW (input 3x32x32 without a shape); default: {default}",
    },
    "bench.help.steps": {
        "ru": "число измеряемых шагов обучения на каждом пути (по умолчанию %(default)s)",
        "en": "timed training steps on each path (default: %(default)s)",
    },
    "bench.help.warmup": {
        "ru": "неизмеряемые шаги перед замером (по умолчанию %(default)s)",
        "en": "untimed steps before the timed ones (default: %(default)s)",
    },
    "bench.help.rounds": {
        "ru": "раунды замера; пути чередуются, в таблицу идёт лучший раунд каждого (по умолчанию %(default)s)",
        "en": "timed rounds; the paths alternate, and each path's fastest round is reported (default: %(default)s)",
    },
    "bench.help.batch_size": {
        "ru": "размер батча обучения (по умолчанию %(default)s)",
        "en": "training batch size (default: %(default)s)",
    },
    "bench.help.eval_batch_size": {
        "ru": "размер батча инференса (по умолчанию %(default)s)",
        "en": "inference batch size (default: %(default)s)",
    },
    "bench.help.inference_batches": {
        "ru": "число батчей в замере инференса (по умолчанию %(default)s)",
        "en": "batches in the inference measurement (default: %(default)s)",
    },
    "bench.help.device": {
        "ru": "устройство: auto, cpu, cuda, cuda:N или mps (по умолчанию %(default)s)",
        "en": "device: auto, cpu, cuda, cuda:N or mps (default: %(default)s)",
    },
    "bench.help.precision": {
        "ru": "точность вычислений в cnnlib (по умолчанию %(default)s; эталон всегда считает в float32)",
        "en": "precision of cnnlib's path (default: %(default)s; the reference always runs in float32)",
    },
    "bench.help.compile": {
        "ru": "обучать модель cnnlib через torch.compile, как с TrainConfig(compile=True); инференс идёт без компиляции",
        "en": "train cnnlib's path through torch.compile, as TrainConfig(compile=True) does; inference stays eager",
    },
    "bench.help.seed": {
        "ru": "seed инициализации моделей, данных и порядка батчей (по умолчанию %(default)s)",
        "en": "seed of the model initialisation, the data and the batch order (default: %(default)s)",
    },
    "parity.help.description": {
        "ru": (
            "Обучает одну модель функцией fit на реальных данных с разной точностью вычислений "
            "и печатает рядом точность моделей на обучающей и тестовой выборках."
        ),
        "en": "Trains one model with fit in several precisions on real data and prints the accuracies side by side.",
    },
    "parity.help.model": {"ru": "имя модели из реестра", "en": "registered model name"},
    "parity.help.dataset": {"ru": "имя набора данных", "en": "dataset name"},
    "parity.help.precisions": {
        "ru": "точность вычислений каждого запуска, по порядку",
        "en": "precisions, in the order of the runs",
    },
    "parity.help.profile": {
        "ru": "профиль, задающий размеры подвыборок и число эпох",
        "en": "profile that sets the subset sizes and the epochs",
    },
    "parity.help.epochs": {
        "ru": "число эпох вместо заданного профилем",
        "en": "epochs, in place of the profile's",
    },
    "parity.help.seed": {
        "ru": "seed подвыборки, инициализации и порядка батчей",
        "en": "seed of the subset, the initialisation and the batch order",
    },
    "parity.help.data": {
        "ru": "папка с данными (по умолчанию $CNNLIB_DATA, затем ./data)",
        "en": "data folder (default: $CNNLIB_DATA, then ./data)",
    },
    "parity.setup": {
        "ru": "{model} на {dataset}: {train} обучающих и {test} тестовых изображений, эпох: {epochs}, seed {seed}",
        "en": "{model} on {dataset}: {train} training and {test} test images, epochs: {epochs}, seed {seed}",
    },
    "parity.column.requested": {"ru": "запрошено", "en": "requested"},
    "parity.column.precision": {"ru": "точность вычислений", "en": "precision"},
    "parity.column.memory_format": {"ru": "формат памяти", "en": "memory format"},
    "parity.column.train_time": {"ru": "обучение, с", "en": "train time, s"},
    "parity.column.train_speed": {"ru": "изобр./с", "en": "img/s"},
    "parity.column.train_acc": {"ru": "точность на обучении", "en": "train acc"},
    "parity.column.test_acc": {"ru": "точность на тесте", "en": "test acc"},
}
