"""Headings and notes of REPORT.md (cnnlib.report)."""

CATALOG: dict[str, dict[str, str]] = {
    "report.title": {"ru": "# Отчет: сверточные сети", "en": "# Report: convolutional networks"},
    "report.intro": {
        "ru": (
            "Отчет собран командой `python -m cnnlib.report` из `results/` и `figures/`: все таблицы, "
            "графики и выводы взяты из сохраненных результатов, ни одно число не вписано вручную. "
            "Ячейки таблиц — среднее ± стандартное отклонение по запускам с разными seed. "
            "Графики — из последнего запуска каждого ноутбука."
        ),
        "en": (
            "This report is built by `python -m cnnlib.report` from `results/` and `figures/`: every "
            "table, figure and conclusion comes from the stored results, and no number is typed by hand. "
            "Table cells are the mean ± standard deviation over runs with different seeds. "
            "The figures come from each notebook's latest run."
        ),
    },
    "report.nb03_title": {
        "ru": "## 3. Собственные слои и residual-блоки",
        "en": "## 3. Custom layers and residual blocks",
    },
    "report.nb02_title": {
        "ru": "## 2. Как архитектура влияет на сверточную сеть",
        "en": "## 2. How architecture shapes a convolutional network",
    },
    "report.nb01_title": {
        "ru": "## 1. Сверточные сети против полносвязных",
        "en": "## 1. Convolutional vs fully connected networks",
    },
    "report.source": {
        "ru": "Профиль `{profile}`, seed: {seeds}, устройство: {devices}. Источник: `{path}`.",
        "en": "Profile `{profile}`, seeds: {seeds}, device: {devices}. Source: `{path}`.",
    },
    "report.figures": {"ru": "Графики", "en": "Figures"},
    "report.no_rows": {
        "ru": "_Нет результатов эксперимента {experiment}: запустите ноутбук._",
        "en": "_No results of experiment {experiment}: run the notebook._",
    },
    "report.no_results": {
        "ru": "_Нет результатов ноутбука {notebook}: запустите его (make run)._",
        "en": "_No results of notebook {notebook}: run it (make run)._",
    },
    "report.figure_missing": {
        "ru": "_Нет графика `{path}`: запустите ноутбук._",
        "en": "_The figure `{path}` is missing: run the notebook._",
    },
}
