"""Messages raised by `cnnlib.data`: missing, corrupt and unknown datasets, bad arguments."""

CATALOG: dict[str, dict[str, str]] = {
    # Names and locations.
    "data.unknown_name": {
        "ru": "Неизвестный набор данных {name!r}. Известные наборы: {known}. Исправьте имя.",
        "en": "Unknown dataset {name!r}. Known datasets: {known}. Fix the name.",
    },
    "data.not_found": {
        "ru": (
            "Набор данных {name} не найден. Проверенные пути:\n{paths}\n"
            "Ожидаемые файлы: {expected}.\n"
            "Что сделать: укажите папку с локальной копией в аргументе root (параметр data_root "
            "в ноутбуке) или в переменной окружения CNNLIB_DATA, либо разрешите загрузку "
            "(download=True), если есть доступ в интернет."
        ),
        "en": (
            "Dataset {name} not found. Paths checked:\n{paths}\n"
            "Expected files: {expected}.\n"
            "Fix: point the root argument (the data_root notebook parameter) or the CNNLIB_DATA "
            "environment variable at a folder with a local copy, or allow downloading "
            "(download=True) when online."
        ),
    },
    "data.expected_cifar10": {
        "ru": (
            "{official}; или дерево папок train/<класс>/*.jpg и test/<класс>/*.jpg "
            "(в root или в root/cifar10); или zip-архив такого дерева ({zips})"
        ),
        "en": (
            "{official}; or a folder tree train/<class>/*.jpg and test/<class>/*.jpg "
            "(in root or in root/cifar10); or a zip of such a tree ({zips})"
        ),
    },
    "data.download_failed": {
        "ru": "Загрузка (download=True) не удалась: {error}",
        "en": "Download (download=True) failed: {error}",
    },
    "data.synthetic_fallback": {
        "ru": (
            "Набор данных {name} не найден в {root}, поэтому используются синтетические данные "
            "({train} обучающих и {test} тестовых изображений), и точности несравнимы с реальными. "
            "Укажите CNNLIB_DATA или download=True, чтобы работать с настоящими данными."
        ),
        "en": (
            "Dataset {name} not found in {root}, so synthetic data is used "
            "({train} train and {test} test images), and accuracies are not comparable with real data. "
            "Set CNNLIB_DATA or download=True to use the real data."
        ),
    },
    # Corrupt files.
    "data.corrupt_file": {
        "ru": (
            "Не удалось прочитать {path}: {reason}. Файл поврежден или обрезан: "
            "замените его целой копией (скачайте или скопируйте заново)."
        ),
        "en": (
            "Cannot read {path}: {reason}. The file is corrupt or truncated: "
            "replace it with an intact copy (download or copy it again)."
        ),
    },
    "data.corrupt_zip_member": {
        "ru": "Элемент {member} архива {path} поврежден: {reason}. Замените архив целой копией.",
        "en": "Member {member} of archive {path} is corrupt: {reason}. Replace the archive with an intact copy.",
    },
    "data.reason_short_header": {
        "ru": "заголовок IDX короче ожидаемого: {size} байт вместо {expected}",
        "en": "the IDX header is too short: {size} bytes instead of {expected}",
    },
    "data.reason_bad_magic": {
        "ru": "магическое число {magic} вместо ожидаемого {expected} (IDX с байтами uint8)",
        "en": "magic number {magic} instead of the expected {expected} (IDX with uint8 bytes)",
    },
    "data.reason_wrong_size": {
        "ru": "размер файла {size} байт, а заголовок (форма {shape}) требует {expected} байт",
        "en": "the file has {size} bytes, but its header (shape {shape}) requires {expected} bytes",
    },
    "data.reason_label_range": {
        "ru": "метка {value} не меньше числа классов ({num_classes})",
        "en": "label {value} is not less than the number of classes ({num_classes})",
    },
    "data.reason_image_size": {
        "ru": "изображение размером {size}, а первое изображение выборки {expected}, хотя все должны быть одного размера",
        "en": "the image is {size}, but the first image of the split is {expected}, and all must have one size",
    },
    "data.idx_count_mismatch": {
        "ru": (
            "В {images} {image_count} изображений, а в {labels} {label_count} меток, а ожидалось поровну. "
            "Замените оба файла целыми копиями из одного выпуска."
        ),
        "en": (
            "{images} has {image_count} images, but {labels} has {label_count} labels, but the counts must be equal. "
            "Replace both files with intact copies from one release."
        ),
    },
    "data.empty_split": {
        "ru": (
            "В {path} нет изображений выборки {split} (ожидались файлы {split}/<класс>/*.jpg или *.png). "
            "Проверьте, что набор скопирован или распакован полностью."
        ),
        "en": (
            "{path} has no images in the {split} split (expected files {split}/<class>/*.jpg or *.png). "
            "Check that the dataset was copied or extracted completely."
        ),
    },
    "data.test_class_not_in_train": {
        "ru": (
            "В {path} у выборки test есть классы {extra}, которых нет в train ({classes}). "
            "Папки классов в train и test должны совпадать."
        ),
        "en": (
            "In {path} the test split has classes {extra} that train lacks ({classes}). "
            "The class folders of train and test must match."
        ),
    },
    "data.zip_many_prefixes": {
        "ru": "В архиве {path} папки train/test лежат в нескольких местах: {prefixes}. Оставьте в архиве одно дерево.",
        "en": "Archive {path} has train/test folders in several places: {prefixes}. Keep one tree in the archive.",
    },
    # Cache.
    "data.cache_corrupt": {
        "ru": "Файл кэша {path} не читается ({error}), поэтому данные будут декодированы заново, а кэш перезаписан.",
        "en": "Cache file {path} is unreadable ({error}), so the data is decoded again and the cache overwritten.",
    },
    "data.cache_write_failed": {
        "ru": (
            "Не удалось записать кэш {path} ({error}). Данные загружены, но следующая загрузка снова "
            "их декодирует. Укажите доступную для записи папку в cache_dir или CNNLIB_CACHE."
        ),
        "en": (
            "Cannot write cache {path} ({error}). The data is loaded, but the next load will decode it "
            "again. Point cache_dir or CNNLIB_CACHE at a writable folder."
        ),
    },
    # Bad arguments.
    "data.bad_images_tensor": {
        "ru": (
            "ImageSet.images должен быть тензором uint8 формы (N, C, H, W), получен {dtype} формы {shape}. "
            "Передайте изображения как uint8 со значениями 0..255."
        ),
        "en": (
            "ImageSet.images must be a uint8 tensor of shape (N, C, H, W), got {dtype} of shape {shape}. "
            "Pass the images as uint8 with values 0..255."
        ),
    },
    "data.bad_labels_tensor": {
        "ru": "ImageSet.labels должен быть тензором int64 формы (N,), получен {dtype} формы {shape}. Передайте labels.long().flatten().",
        "en": "ImageSet.labels must be an int64 tensor of shape (N,), got {dtype} of shape {shape}. Pass labels.long().flatten().",
    },
    "data.imageset_not_cpu": {
        "ru": "ImageSet хранит тензоры на CPU, а получены тензоры на {device}. Передайте .cpu(), а на устройство их перенесет BatchLoader.",
        "en": "ImageSet keeps its tensors on the CPU, got tensors on {device}. Pass .cpu(), and BatchLoader moves them to the device.",
    },
    "data.imageset_not_contiguous": {
        "ru": "ImageSet.images должен быть непрерывным тензором. Передайте images.contiguous().",
        "en": "ImageSet.images must be a contiguous tensor. Pass images.contiguous().",
    },
    "data.imageset_length_mismatch": {
        "ru": "В ImageSet {images} изображений, но {labels} меток, а ожидалось поровну. Передайте по одной метке на изображение.",
        "en": "The ImageSet has {images} images but {labels} labels, and the counts must be equal. Pass one label per image.",
    },
    "data.bad_classes": {
        "ru": "ImageSet.classes должен быть непустым кортежем имен классов, получено {classes!r}. Передайте tuple(имена).",
        "en": "ImageSet.classes must be a non-empty tuple of class names, got {classes!r}. Pass tuple(names).",
    },
    "data.label_out_of_range": {
        "ru": "Метки ImageSet лежат в диапазоне {low}..{high}, а ожидались значения от 0 до числа классов ({num_classes}) без него. Исправьте метки или список классов.",
        "en": "The ImageSet labels span {low}..{high}, expected values from 0 up to, but not including, the number of classes ({num_classes}). Fix the labels or the class list.",
    },
    "data.bad_subset_size": {
        "ru": "Размер подвыборки должен быть целым числом >= 0 или None (вся выборка), получено {value!r}.",
        "en": "A subset size must be an integer >= 0 or None (the whole split), got {value!r}.",
    },
    "data.bad_synthetic_size": {
        "ru": "{argument} должен быть целым числом >= {minimum}, получено {value!r}.",
        "en": "{argument} must be an integer >= {minimum}, got {value!r}.",
    },
    "data.bad_batch_size": {
        "ru": "batch_size должен быть целым числом >= 1, получено {value!r}.",
        "en": "batch_size must be an integer >= 1, got {value!r}.",
    },
    "data.bad_stats_length": {
        "ru": "{argument} должен содержать по одному значению на канал ({channels}), получено {value}. Передайте dataset.mean и dataset.std.",
        "en": "{argument} must have one value per channel ({channels}), got {value}. Pass dataset.mean and dataset.std.",
    },
    "data.bad_std": {
        "ru": "Все значения std должны быть положительными, получено {value}. Передайте dataset.std.",
        "en": "Every std value must be positive, got {value}. Pass dataset.std.",
    },
}
