"""Error messages for bad names, settings and training failures (data errors live in data_errors)."""

CATALOG: dict[str, dict[str, str]] = {
    "error.unknown_model": {
        "ru": "Неизвестная модель {name!r}. Известные модели: {known}. Исправьте имя в списке моделей.",
        "en": "Unknown model {name!r}. Known models: {known}. Fix the name in the model list.",
    },
    "error.model_name_type": {
        "ru": "Имя модели должно быть строкой, получено {value} (тип {type}).",
        "en": "A model name must be a string, got {value} (type {type}).",
    },
    "error.unknown_profile": {
        "ru": "Неизвестный профиль {name!r}. Доступные профили: {known}. Укажите один из них в параметре profile или в CNNLIB_PROFILE.",
        "en": "Unknown profile {name!r}. Available profiles: {known}. Set one of them in the profile parameter or CNNLIB_PROFILE.",
    },
    "error.bad_setting": {
        "ru": "Недопустимое значение параметра {name}: {value!r}. Ожидалось: {expected}.",
        "en": "Invalid value for setting {name}: {value!r}. Expected: {expected}.",
    },
    "error.unknown_device": {
        "ru": "Неизвестное устройство {value!r}. Допустимо: 'auto', 'cpu', 'cuda', 'cuda:N', 'mps'.",
        "en": "Unknown device {value!r}. Allowed: 'auto', 'cpu', 'cuda', 'cuda:N', 'mps'.",
    },
    "error.device_unavailable": {
        "ru": "Устройство {value!r} недоступно на этой машине. Укажите device='auto' или 'cpu'.",
        "en": "Device {value!r} is not available on this machine. Use device='auto' or 'cpu'.",
    },
    "error.diverged": {
        "ru": (
            "Обучение модели {model} разошлось: на эпохе {epoch} функция потерь стала {loss} "
            "(learning rate {lr}). Уменьшите learning rate или проверьте данные."
        ),
        "en": (
            "Training of {model} diverged: at epoch {epoch} the loss became {loss} "
            "(learning rate {lr}). Lower the learning rate or check the data."
        ),
    },
    "warning.precision_fallback": {
        "ru": "{reason}: обучение идет в float32.",
        "en": "{reason}: training runs in float32.",
    },
    "warning.no_native_bf16": {
        "ru": "Процессор не поддерживает bfloat16 аппаратно",
        "en": "This CPU has no native bfloat16 instructions",
    },
    "warning.slow_bf16": {
        "ru": "bfloat16 на процессоре без аппаратной поддержки bf16 работает во много раз медленнее float32.",
        "en": "bfloat16 on a CPU without native bf16 instructions runs many times slower than float32.",
    },
}
