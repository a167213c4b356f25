"""Wording of seed statistics: the verdict on a gap between two models and the rule behind it."""

CATALOG: dict[str, dict[str, str]] = {
    "stats.verdict_yes": {
        "ru": "разница {points:.1f} п.п. больше разброса между seed ({spread:.1f} п.п.), различие устойчиво",
        "en": "the gap of {points:.1f} points exceeds the seed-to-seed spread ({spread:.1f} points), so it is consistent",
    },
    "stats.verdict_no": {
        "ru": (
            "разница {points:.1f} п.п. не больше разброса между seed ({spread:.1f} п.п.), "
            "по этим запускам модели неразличимы"
        ),
        "en": (
            "the gap of {points:.1f} points is within the seed-to-seed spread ({spread:.1f} points), "
            "so on these runs the models are not distinguishable"
        ),
    },
    "stats.verdict_unknown": {
        "ru": "разброс между seed не измерен (один запуск), поэтому разница {points:.1f} п.п. ничего не доказывает",
        "en": "the seed-to-seed spread is not measured (one run), so the gap of {points:.1f} points proves nothing",
    },
    "stats.rule_intervals": {
        "ru": (
            "Разница считается больше разброса, когда интервалы «среднее ± стандартное отклонение» по seed "
            "не пересекаются (|Δ| > s₁ + s₂). При 2–3 seed это грубое правило, а не статистический тест."
        ),
        "en": (
            "A gap counts as exceeding the spread when the intervals mean ± standard deviation over seeds "
            "do not overlap (|Δ| > s₁ + s₂). With 2–3 seeds this is a rough rule, not a significance test."
        ),
    },
    "stats.rule_single_run": {
        "ru": "Один запуск на модель: разброс между seed не оценен, поэтому ни одно различие не названо устойчивым.",
        "en": "One run per model: the seed-to-seed spread is not measured, so no difference is called consistent.",
    },
    "stats.seeds_line": {
        "ru": "- Числа в выводах — средние по {runs} запускам (seed {seeds}), ± — стандартное отклонение. {rule}",
        "en": "- The numbers in these conclusions are means over {runs} runs (seeds {seeds}); ± is the standard deviation. {rule}",
    },
    "stats.single_seed_line": {
        "ru": "- Это один запуск на модель (seed {seed}): разброс между seed не оценен, поэтому ни одно различие не названо устойчивым.",
        "en": "- This is one run per model (seed {seed}): the seed-to-seed spread is not measured, so no difference is called consistent.",
    },
}
