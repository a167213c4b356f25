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
    "error.bad_label": {
        "ru": (
            "Недопустимая метка модели {value!r}: разрешены латинские буквы, цифры и символы _ . + -. "
            "Переименуйте вариант модели, например '5x5' или 'depth-4'."
        ),
        "en": (
            "Invalid model label {value!r}: only Latin letters, digits and _ . + - are allowed. "
            "Rename the model variant, for example '5x5' or 'depth-4'."
        ),
    },
    "error.model_kwargs_type": {
        "ru": "Аргументы модели {label} должны быть словарем (dict), получен тип {type}.",
        "en": "The arguments of model {label} must be a dict, got type {type}.",
    },
    "error.model_item_type": {
        "ru": (
            "Элемент списка моделей должен быть именем модели (str) или ModelSpec, получено {value} "
            "(тип {type})."
        ),
        "en": "A model list item must be a model name (str) or a ModelSpec, got {value} (type {type}).",
    },
    "error.duplicate_label": {
        "ru": "Метка модели {label!r} встречается в списке дважды. Дайте вариантам разные метки.",
        "en": "The model label {label!r} appears twice in the list. Give the variants different labels.",
    },
    "error.kwargs_unknown_label": {
        "ru": "Аргументы заданы для моделей {labels}, которых нет в списке ({known}). Исправьте метку.",
        "en": "Arguments are given for models {labels} that are not in the list ({known}). Fix the label.",
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
    "warning.seeds_raised": {
        "ru": (
            "Запрошено запусков на модель: {requested}, а этому ноутбуку в профиле {profile} нужно не меньше "
            "{minimum}, чтобы оценить разброс по seed; используются seed {seeds}."
        ),
        "en": (
            "{requested} run(s) per model were requested, but this notebook needs at least {minimum} in the "
            "{profile} profile to measure the spread over seeds; using seeds {seeds}."
        ),
    },
    "warning.resumed": {
        "ru": "{model}: обучение продолжено с контрольной точки после эпохи {epoch} из {epochs}.",
        "en": "{model}: training resumed from the checkpoint after epoch {epoch} of {epochs}.",
    },
    "warning.checkpoint_unreadable": {
        "ru": "Контрольная точка {path} повреждена ({reason}); модель обучается с первой эпохи.",
        "en": "The checkpoint {path} is damaged ({reason}); the model trains from the first epoch.",
    },
    "warning.checkpoint_other_run": {
        "ru": (
            "Контрольная точка {path} относится к другим настройкам или другой версии cnnlib; "
            "модель обучается с первой эпохи."
        ),
        "en": (
            "The checkpoint {path} belongs to other settings or another cnnlib version; "
            "the model trains from the first epoch."
        ),
    },
    "warning.record_damaged": {
        "ru": "Файл результатов {path} поврежден или неполон ({reason}); эта модель будет обучена заново.",
        "en": "The results file {path} is damaged or incomplete ({reason}); this model will be retrained.",
    },
    "warning.record_missing": {
        "ru": "Для строки {model} в summary.csv нет файла результатов {path}; строка пропущена.",
        "en": "The summary.csv row of {model} has no results file {path}; the row is skipped.",
    },
    "warning.weights_missing": {
        "ru": (
            "Нет файла весов {path} для {model} (веса не хранятся в git); модель будет обучена заново. "
            "Чтобы только перестроить таблицы и графики, запустите python -m cnnlib.report."
        ),
        "en": (
            "The weights file {path} of {model} is missing (weights are not kept in git); the model will "
            "be retrained. To rebuild only the tables and figures, run python -m cnnlib.report."
        ),
    },
    "warning.weights_unreadable": {
        "ru": "Файл весов {path} для {model} не читается ({reason}); модель будет обучена заново.",
        "en": "The weights file {path} of {model} cannot be read ({reason}); the model will be retrained.",
    },
    "warning.summary_damaged": {
        "ru": (
            "Файл {path} поврежден ({reason}); он будет собран заново из моделей, которые обучит "
            "или загрузит этот запуск."
        ),
        "en": (
            "The file {path} is damaged ({reason}); it will be rebuilt from the models this run "
            "trains or reuses."
        ),
    },
    "error.annotate_no_rows": {
        "ru": (
            "В summary.csv нет строк модели {model!r} в эксперименте {experiment!r}. Модели этого "
            "эксперимента: {known}. Сначала обучите модель (Session.train) или исправьте имя."
        ),
        "en": (
            "summary.csv has no rows of model {model!r} in experiment {experiment!r}. Models of this "
            "experiment: {known}. Train the model first (Session.train) or fix the name."
        ),
    },
    "error.annotate_key_column": {
        "ru": "Столбец {column!r} определяет строку summary.csv и не может быть изменен через annotate.",
        "en": "The column {column!r} identifies a summary.csv row and cannot be changed through annotate.",
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
