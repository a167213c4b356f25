"""Prose of notebook 03 (custom layers and residual blocks), Markdown, and its generated conclusions."""

CATALOG: dict[str, dict[str, str]] = {
    "nb03.title": {
        "ru": (
            "# 3. Свои слои и residual-блоки\n\n"
            "В первой части пишем слои сами — как `torch.autograd.Function` с ручным backward — и "
            "проверяем их: градиенты против численных (gradcheck), результат против стандартных операций "
            "PyTorch, скорость и память, и наконец обучение одной и той же сети на своих и на стандартных "
            "слоях. Во второй части сравниваем три конструкции residual-блока в сетях одинаковой глубины: "
            "точность, стоимость и стабильность обучения по нескольким seed.\n\n"
            "Все числа в таблицах и выводах вычисляются из результатов этого запуска; "
            "ни одно не вписано вручную."
        ),
        "en": (
            "# 3. Custom layers and residual blocks\n\n"
            "In the first part we write layers ourselves, as `torch.autograd.Function`s with a hand-written "
            "backward, and check them: gradients against numerical ones (gradcheck), outputs against "
            "standard PyTorch operations, speed and memory, and finally training the same network on our "
            "layers and on standard ones. In the second part we compare three residual block designs in "
            "networks of equal depth: accuracy, cost and training stability over several seeds.\n\n"
            "Every number in the tables and conclusions is computed from this run's results; "
            "none is typed by hand."
        ),
    },
    "nb03.setup": {
        "ru": (
            "**Профиль запуска:** `{profile}` · **устройство:** `{device}` · **точность вычислений:** "
            "`{precision}` · **seed:** {seeds} (запусков каждой модели: {runs}).\n\n"
            "Выводы о стабильности опираются на разброс по seed, поэтому во всех профилях, кроме `smoke`, "
            "этот ноутбук обучает каждую модель не меньше трех раз. Таблицы показывают среднее ± "
            "стандартное отклонение по запускам; готовые результаты из `results/` используются повторно "
            "(параметр `force=True` обучает заново)."
        ),
        "en": (
            "**Profile:** `{profile}` · **device:** `{device}` · **precision:** `{precision}` · "
            "**seeds:** {seeds} ({runs} run(s) of each model).\n\n"
            "The stability conclusions rest on the spread over seeds, so in every profile except `smoke` "
            "this notebook trains each model at least three times. Tables show the mean ± standard "
            "deviation over runs; finished results in `results/` are reused (the `force=True` parameter "
            "retrains)."
        ),
    },
    "nb03.section_layers": {
        "ru": (
            "## 3.1 Свои слои с ручным backward\n\n"
            "Пять слоев: свертка с обучаемым масштабом выходных каналов (**ScaledConv2d**), "
            "squeeze-and-excitation (**SqueezeExcitation**, внимание по каналам), пространственное "
            "внимание (**SpatialAttention**), **Swish** с обучаемым beta и пулинг обобщенным средним "
            "(**GeM**) с обучаемой степенью p. У каждого слоя forward считает выход, а backward — градиенты "
            "по входу и по всем параметрам по выведенным вручную формулам."
        ),
        "en": (
            "## 3.1 Custom layers with a hand-written backward\n\n"
            "Five layers: a convolution with a learnable scale of its output channels (**ScaledConv2d**), "
            "squeeze-and-excitation (**SqueezeExcitation**, channel attention), spatial attention "
            "(**SpatialAttention**), **Swish** with a learnable beta, and generalised-mean pooling (**GeM**) "
            "with a learnable exponent p. For each, forward computes the output and backward the gradients "
            "with respect to the input and every parameter, from formulas derived by hand."
        ),
    },
    "nb03.checks": {
        "ru": (
            "### Проверка градиентов и совпадение со стандартными операциями\n\n"
            "`gradcheck` сравнивает ручной backward с численными производными в float64 по входу и всем "
            "параметрам. Каждый слой проверяется в 9 вариантах: вход непрерывный, транспонированный "
            "(не непрерывный в памяти) и channels_last, а выход используется как есть, после `permute` и "
            "после `cat`. Затем параметры ставятся туда, где слой совпадает со стандартной операцией "
            "(Swish при beta = 1 — это `F.silu`, GeM при p = 1 — среднее по изображению, ScaledConv2d при "
            "scale = 1 — `F.conv2d`; SE и пространственное внимание сравниваются с той же формулой на "
            "операциях torch), и таблица показывает наибольшую |разницу| выхода и градиентов."
        ),
        "en": (
            "### Gradient checks and agreement with standard operations\n\n"
            "`gradcheck` compares the hand-written backward with numerical derivatives in float64, for the "
            "input and every parameter. Each layer is checked in 9 variants: a contiguous, a transposed "
            "(non-contiguous) and a channels_last input, with the output used as is, after `permute` and "
            "after `cat`. Then the parameters are set where the layer coincides with a standard operation "
            "(Swish with beta = 1 is `F.silu`, GeM with p = 1 is global average pooling, ScaledConv2d with "
            "scale = 1 is `F.conv2d`; SE and spatial attention are compared with the same formula from torch "
            "operations), and the table shows the largest |difference| of the output and of the gradients."
        ),
    },
    "nb03.bench": {
        "ru": (
            "### Скорость и память\n\n"
            "Свой слой против той же формулы на операциях torch, с одинаковыми весами, входом и "
            "градиентом выхода. Время — медиана повторов forward и backward с синхронизацией устройства; "
            "«сохранено для backward» — байты тензоров, которые autograd держит между forward и backward "
            "(точный подсчет); пик памяти GPU измеряется только на CUDA."
        ),
        "en": (
            "### Speed and memory\n\n"
            "Each custom layer against the same formula from torch operations, with the same weights, "
            "input and output gradient. Time is the median of repeated forward and backward passes with "
            "device synchronisation; \"saved for backward\" is the bytes of the tensors autograd keeps "
            "between forward and backward (an exact count); peak GPU memory is measured on CUDA only."
        ),
    },
    "nb03.train_layers": {
        "ru": (
            "### Одна сеть на стандартных и на своих слоях (CIFAR-10)\n\n"
            "**StandardLayersCNN** и **CustomLayersCNN** — одна и та же сеть (свертки со Swish, SE, "
            "пространственное внимание, GeM), у первой слои собраны из операций torch, у второй — наши "
            "`torch.autograd.Function`. При одинаковом seed у них одинаковые начальные веса и порядок батчей, так что "
            "разница в результатах может прийти только из численных различий."
        ),
        "en": (
            "### One network on standard and on custom layers (CIFAR-10)\n\n"
            "**StandardLayersCNN** and **CustomLayersCNN** are the same network (convolutions with Swish, "
            "SE, spatial attention, GeM): the first is built from torch operations, the second from our "
            "Functions. With the same seed they start from the same weights and see the batches in the "
            "same order, so any difference in results can only come from numerics."
        ),
    },
    "nb03.models": {"ru": "#### Модели", "en": "#### Models"},
    "nb03.results_table": {
        "ru": (
            "#### Сравнительная таблица\n\n"
            "Среднее ± стандартное отклонение по seed. Время обучения — только шаги обучения; "
            "время inference — весь тестовый набор в режиме eval без autograd."
        ),
        "en": (
            "#### Comparison table\n\n"
            "Mean ± standard deviation over seeds. Training time counts the training steps only; "
            "inference time is the whole test set in eval mode without autograd."
        ),
    },
    "nb03.curves": {
        "ru": "#### Кривые обучения\n\nЛиния — среднее по seed, полоса — ± стандартное отклонение.",
        "en": "#### Learning curves\n\nA line is the mean over seeds, the band ± one standard deviation.",
    },
    "nb03.section_blocks": {
        "ru": (
            "## 3.2 Residual-блоки: basic, bottleneck, wide (CIFAR-10)\n\n"
            "Три сети одинаковой глубины: та же первая свертка, три стадии с одинаковыми базовыми ширинами и "
            "одинаковым числом блоков на стадию — отличается только блок. **basic** — две свертки 3x3; "
            "**bottleneck** — 1x1 сжимает каналы, 3x3, 1x1 расширяет в 4 раза; **wide** — две свертки 3x3 "
            "в 2 раза шире, с dropout между ними. FLOPs прямого прохода одного изображения подсчитаны "
            "`FlopCounterMode` по реально выполненным операциям."
        ),
        "en": (
            "## 3.2 Residual blocks: basic, bottleneck, wide (CIFAR-10)\n\n"
            "Three networks of equal depth: the same first convolution, three stages with the same base "
            "widths and the same number of blocks per stage; only the block differs. **basic**: two 3x3 "
            "convolutions; **bottleneck**: a 1x1 reduces the channels, a 3x3, a 1x1 expands them 4 times; "
            "**wide**: two 3x3 convolutions twice as wide, with dropout between them. Forward FLOPs of one "
            "image are counted by `FlopCounterMode` over the operations that actually run."
        ),
    },
    "nb03.blocks_table": {
        "ru": (
            "#### Сравнительная таблица блоков\n\n"
            "Столбцы исходного исследования (среднее ± стандартное отклонение по seed), затем FLOPs и меры "
            "стабильности: разброс итоговой точности на тесте между seed (стандартное отклонение в п.п.), "
            "средний модуль изменения test loss от эпохи к эпохе (среднее по seed) и наибольший всплеск "
            "нормы градиента — максимальная норма за шаг, деленная на медиану средних норм по эпохам "
            "(худший из seed)."
        ),
        "en": (
            "#### Block comparison table\n\n"
            "The original study's columns (mean ± standard deviation over seeds), then FLOPs and the "
            "stability measures: the spread of the final test accuracy over seeds (standard deviation in "
            "points), the mean absolute epoch-to-epoch change of the test loss (mean over seeds), and the "
            "largest gradient-norm spike: the largest norm of a step divided by the median of the per-epoch "
            "mean norms (the worst seed)."
        ),
    },
    "nb03.blocks_curves": {
        "ru": (
            "#### Кривые обучения по типам блоков\n\n"
            "Линия — среднее по seed, полоса — от наименьшего до наибольшего значения среди seed."
        ),
        "en": (
            "#### Learning curves per block type\n\n"
            "A line is the mean over seeds, the band spans the lowest to the highest seed."
        ),
    },
    "nb03.final_title": {"ru": "## Данные этого запуска", "en": "## Data of this run"},
}

# Sentences of the generated conclusions (cnnlib.narrative_blocks).
CATALOG.update({
    "nb03.checks_title": {"ru": "#### Выводы: проверка слоев", "en": "#### Conclusions: layer checks"},
    "nb03.gradcheck_all": {
        "ru": "- Все {layers} слоев прошли gradcheck в float64 во всех {variants} вариантах входа и выхода.",
        "en": "- All {layers} layers pass gradcheck in float64 in all {variants} input and output variants.",
    },
    "nb03.gradcheck_failed": {
        "ru": "- gradcheck не пройден у {failed} из {layers} слоев: {details}. Ручной backward этих слоев неверен.",
        "en": "- {failed} of {layers} layers fail gradcheck: {details}. Their hand-written backward is wrong.",
    },
    "nb03.analogue_equal": {
        "ru": (
            "- При совпадающих параметрах слои совпадают со стандартными операциями до округления float64: "
            "наибольшая |разница| выхода {forward:.1e} ({forward_layer}), градиентов {backward:.1e} "
            "({backward_layer}); порог равенства {tolerance:.0e}."
        ),
        "en": (
            "- At the coinciding parameters the layers agree with the standard operations up to float64 "
            "rounding: the largest |difference| is {forward:.1e} for the output ({forward_layer}) and "
            "{backward:.1e} for the gradients ({backward_layer}); the equality threshold is {tolerance:.0e}."
        ),
    },
    "nb03.analogue_differ": {
        "ru": (
            "- При совпадающих параметрах слои расходятся со стандартными операциями больше округления "
            "float64 (порог {tolerance:.0e}): |разница| выхода до {forward:.1e} ({forward_layer}), "
            "градиентов до {backward:.1e} ({backward_layer})."
        ),
        "en": (
            "- At the coinciding parameters the layers differ from the standard operations by more than "
            "float64 rounding (threshold {tolerance:.0e}): up to {forward:.1e} for the output "
            "({forward_layer}) and {backward:.1e} for the gradients ({backward_layer})."
        ),
    },
    "nb03.bench_time": {
        "ru": (
            "- Время forward + backward своего слоя относительно стандартного ({device}, вход {shape}): "
            "{ratios}. Быстрее стандартного: {faster}; медленнее: {slower}. Отличия меньше {tolerance:.0f}% "
            "не считаем различием: это один замер на машине, которую могут делить другие задачи."
        ),
        "en": (
            "- Forward + backward time of each custom layer relative to the standard one ({device}, input "
            "{shape}): {ratios}. Faster than standard: {faster}; slower: {slower}. Gaps under "
            "{tolerance:.0f}% are not counted, because this is one measurement on a machine that other jobs "
            "may share."
        ),
    },
    "nb03.bench_memory_less": {
        "ru": (
            "- Для backward свои слои сохраняют меньше памяти, чем стандартные: {layers} от объема "
            "стандартного слоя; у остальных ({same}) объем не меньше."
        ),
        "en": (
            "- For backward, custom layers keep less memory than the standard ones: {layers} of the "
            "standard layer's bytes; the others ({same}) keep no less."
        ),
    },
    "nb03.bench_memory_same": {
        "ru": "- Ни один свой слой не сохраняет для backward меньше памяти, чем стандартный.",
        "en": "- No custom layer keeps less memory for backward than its standard counterpart.",
    },
    "nb03.match_title": {
        "ru": "#### Выводы: свои слои против стандартных",
        "en": "#### Conclusions: custom vs standard layers",
    },
    "nb03.match_yes": {
        "ru": (
            "- Сеть на своих слоях обучается так же, как на стандартных: точность на тесте **{custom}** "
            "{custom_acc}, **{standard}** {standard_acc}; {verdict}."
        ),
        "en": (
            "- The network trains on custom layers as it does on standard ones: test accuracy of "
            "**{custom}** {custom_acc}, of **{standard}** {standard_acc}; {verdict}."
        ),
    },
    "nb03.match_no": {
        "ru": (
            "- Сеть на своих слоях обучается не так, как на стандартных: точность на тесте **{custom}** "
            "{custom_acc}, **{standard}** {standard_acc}; {verdict}. Стоит искать ошибку в своих слоях."
        ),
        "en": (
            "- The network does not train on custom layers as it does on standard ones: test accuracy of "
            "**{custom}** {custom_acc}, of **{standard}** {standard_acc}; {verdict}. Look for a bug in the "
            "custom layers."
        ),
    },
    "nb03.match_unknown": {
        "ru": (
            "- Точность на тесте **{custom}** {custom_acc}, **{standard}** {standard_acc}; {verdict}."
        ),
        "en": (
            "- Test accuracy of **{custom}** {custom_acc}, of **{standard}** {standard_acc}; {verdict}."
        ),
    },
    "nb03.match_paired": {
        "ru": (
            "- При одном и том же seed (пар запусков: {pairs}) точности на тесте различаются не больше чем "
            "на {points:.2f} п.п.: это численные различия, начальные веса и батчи одинаковы."
        ),
        "en": (
            "- With the same seed ({pairs} pair(s) of runs) the test accuracies differ by at most "
            "{points:.2f} points: numerical differences, since the initial weights and batches are the same."
        ),
    },
    "nb03.match_time": {
        "ru": (
            "- Обучение **{custom}** заняло в среднем {custom_s:.1f} с, **{standard}** — {standard_s:.1f} с "
            "(отношение {ratio:.2f})."
        ),
        "en": (
            "- Training **{custom}** took {custom_s:.1f} s on average, **{standard}** {standard_s:.1f} s "
            "(a ratio of {ratio:.2f})."
        ),
    },
    "nb03.blocks_title": {"ru": "#### Выводы: residual-блоки", "en": "#### Conclusions: residual blocks"},
    "nb03.blocks_cost": {
        "ru": "- Параметры / MFLOPs на изображение: {costs}.",
        "en": "- Parameters / MFLOPs per image: {costs}.",
    },
    "nb03.blocks_cost_gain": {
        "ru": (
            "- **{dearest}** тратит в {ratio:.1f} раза больше FLOPs, чем **{cheapest}**, и отличается от "
            "него по точности на {points:+.1f} п.п.; {verdict}."
        ),
        "en": (
            "- **{dearest}** spends {ratio:.1f} times the FLOPs of **{cheapest}** and differs from it in "
            "accuracy by {points:+.1f} points; {verdict}."
        ),
    },
    "nb03.blocks_time": {
        "ru": (
            "- Быстрее всех обучается **{fastest}** ({fastest_s:.1f} с в среднем), дольше всех — "
            "**{slowest}** ({slowest_s:.1f} с); inference всего теста, с: {inference}."
        ),
        "en": (
            "- **{fastest}** trains fastest ({fastest_s:.1f} s on average), **{slowest}** slowest "
            "({slowest_s:.1f} s); inference over the whole test set, s: {inference}."
        ),
    },
    "nb03.blocks_spread_differ": {
        "ru": (
            "- Разброс итоговой точности между seed больше всего у **{high}** ({high_std:.2f} п.п.), меньше "
            "всего у **{low}** ({low_std:.2f} п.п.), в {ratio:.1f} раза. При {seeds} seed стандартное "
            "отклонение само известно с точностью около ±{error:.0%}, так что различие считаем заметным, "
            "только если отношение больше {threshold:.1f}; здесь оно больше."
        ),
        "en": (
            "- The spread of the final accuracy over seeds is largest for **{high}** ({high_std:.2f} points) "
            "and smallest for **{low}** ({low_std:.2f} points), {ratio:.1f} times apart. With {seeds} seeds "
            "a standard deviation is itself known only to about ±{error:.0%}, so a difference counts only "
            "when the ratio exceeds {threshold:.1f}; here it does."
        ),
    },
    "nb03.blocks_spread_same": {
        "ru": (
            "- Разброс итоговой точности между seed: от {low_std:.2f} п.п. (**{low}**) до {high_std:.2f} п.п. "
            "(**{high}**), в {ratio:.1f} раза. При {seeds} seed стандартное отклонение само известно с "
            "точностью около ±{error:.0%}, поэтому отношение меньше {threshold:.1f} не говорит о разной "
            "стабильности блоков."
        ),
        "en": (
            "- The spread of the final accuracy over seeds ranges from {low_std:.2f} points (**{low}**) to "
            "{high_std:.2f} points (**{high}**), {ratio:.1f} times apart. With {seeds} seeds a standard "
            "deviation is itself known only to about ±{error:.0%}, so a ratio below {threshold:.1f} does not "
            "show that the blocks differ in stability."
        ),
    },
    "nb03.blocks_spread_unknown": {
        "ru": "- Разброс между seed не измерен (по одному запуску на модель), поэтому о стабильности по seed вывода нет.",
        "en": "- The spread over seeds is not measured (one run per model), so there is no conclusion on stability over seeds.",
    },
    "nb03.blocks_jitter": {
        "ru": (
            "- Средний скачок test loss между эпохами: {values}; сильнее всего колеблется **{model}** "
            "(одна величина на модель, без оценки разброса)."
        ),
        "en": (
            "- Mean epoch-to-epoch test loss change: {values}; **{model}** fluctuates most "
            "(one value per model, without a spread)."
        ),
    },
    "nb03.blocks_jitter_unknown": {
        "ru": "- Скачки test loss между эпохами не измерены: нужно хотя бы две эпохи.",
        "en": "- Epoch-to-epoch test loss changes are not measured: they need at least two epochs.",
    },
    "nb03.blocks_spike": {
        "ru": (
            "- Наибольший всплеск нормы градиента (раз к медиане, худший seed): {values}; самый резкий — у "
            "**{model}**."
        ),
        "en": (
            "- Largest gradient-norm spike (times the median, worst seed): {values}; the sharpest is "
            "**{model}**'s."
        ),
    },
})
