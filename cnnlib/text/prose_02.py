"""Prose of notebook 02 (how kernel size and depth shape a CNN), Markdown."""

CATALOG: dict[str, dict[str, str]] = {
    "nb02.title": {
        "ru": (
            "# 2. Как архитектура влияет на сверточную сеть\n\n"
            "Две серии экспериментов на CIFAR-10 при **одинаковых гиперпараметрах обучения**:\n\n"
            "- **2.1 Размер ядра:** 3x3, 5x5, 7x7 и комбинация 1x1+3x3 при **одном бюджете параметров**; "
            "рецептивные поля, фильтры и выходы первого слоя.\n"
            "- **2.2 Глубина:** 2, 4, 6 и 10 сверточных слоев без residual-связей и с ними; нормы градиентов "
            "по слоям и эпохам (затухание и взрыв градиента), feature maps каждого слоя.\n\n"
            "Все числа в таблицах и выводах вычисляются из результатов этого запуска."
        ),
        "en": (
            "# 2. How architecture shapes a convolutional network\n\n"
            "Two series of experiments on CIFAR-10 under **the same training hyperparameters**:\n\n"
            "- **2.1 Kernel size:** 3x3, 5x5, 7x7 and a 1x1+3x3 combination at **one parameter budget**; "
            "receptive fields, first-layer filters and outputs.\n"
            "- **2.2 Depth:** 2, 4, 6 and 10 conv layers without and with residual links; gradient norms "
            "per layer and epoch (vanishing and exploding gradients), feature maps of every layer.\n\n"
            "Every number in the tables and conclusions is computed from this run's results."
        ),
    },
    "nb02.section_kernel": {
        "ru": (
            "## 2.1 Размер ядра при одинаковом числе параметров\n\n"
            "Сеть `KernelCNN`: три стадии «свертка → batch norm → ReLU» с max pooling 2x2 между ними, "
            "затем глобальное усреднение и линейный слой. Варианты отличаются только раскладкой ядер. "
            "Ядро k×k стоит k² весов на пару каналов, поэтому при одинаковой ширине сеть 7x7 была бы в "
            "49/9 ≈ 5.4 раза больше сети 3x3, и сравнение мерило бы число параметров, а не размер ядра. Поэтому "
            "ширины стадий подбираются автоматически (`solve_widths`) под общий бюджет."
        ),
        "en": (
            "## 2.1 Kernel size at an equal parameter count\n\n"
            "The `KernelCNN` network: three \"conv → batch norm → ReLU\" stages with 2x2 max pooling between "
            "them, then global average pooling and a linear layer. The variants differ only in the kernel "
            "layout. A k×k kernel costs k² weights per channel pair, so at equal widths the 7x7 net would be "
            "49/9 ≈ 5.4 times the 3x3 one, and the comparison would measure parameter count rather than kernel "
            "size. So the stage widths are solved automatically (`solve_widths`) for one budget."
        ),
    },
    "nb02.budget": {
        "ru": (
            "**Бюджет параметров:** {budget} (сеть 3x3 с ширинами 32, 64, 128). Наибольшее отклонение "
            "варианта от бюджета: {max_deviation:.2%} (допуск ±2%). Ширины всех стадий, кроме последней, "
            "кратны 8: на CPU невыровненное число каналов замедляет свертки, и сравнение времени мерило "
            "бы выравнивание, а не ядро."
        ),
        "en": (
            "**Budget:** {budget} parameters (the 3x3 net with widths 32, 64, 128). The largest deviation "
            "of a variant from the budget: {max_deviation:.2%} (tolerance ±2%). Every stage width but the "
            "last is a multiple of 8: on a CPU unaligned channel counts slow convolutions down, and the "
            "timing comparison would measure alignment rather than the kernel."
        ),
    },
    "nb02.receptive_fields": {
        "ru": (
            "### Рецептивные поля\n\n"
            "Рецептивное поле — сколько пикселей входа (по одной оси) видит один нейрон слоя. Оно "
            "считается по геометрии каждого слоя: после слоя с ядром k, шагом s и dilation d поле растет "
            "на (k − 1)·d·j, а шаг на входе j умножается на s. Где ветви сходятся (residual-сложение), "
            "берется наибольшая. Тесты проверяют этот расчет для каждой CNN пакета по градиенту: "
            "ненулевой градиент входа по одному центральному нейрону последнего слоя занимает ровно "
            "столько пикселей."
        ),
        "en": (
            "### Receptive fields\n\n"
            "The receptive field is how many input pixels (along one axis) one unit of a layer sees. It is "
            "computed from every layer's geometry: a layer with kernel k, stride s and dilation d grows the "
            "field by (k − 1)·d·j and multiplies the input jump j by s. Where branches meet (a residual "
            "addition) the largest one counts. Tests check this computation for every CNN of the package "
            "against the gradient: the non-zero input gradient of one centre unit of the last layer spans "
            "exactly that many pixels."
        ),
    },
    "nb02.results_table": {
        "ru": (
            "### Результаты\n\n"
            "Каждая ячейка — среднее ± стандартное отклонение по запускам с разными seed. Время обучения — "
            "только шаги обучения; время inference — весь тестовый набор в режиме eval. «Рецептивное поле» "
            "— поле последнего сверточного слоя (или пулинга) в пикселях входа."
        ),
        "en": (
            "### Results\n\n"
            "Each cell is the mean ± standard deviation over runs with different seeds. Training time counts "
            "only the training steps; inference time is the whole test set in eval mode. \"Receptive field\" "
            "is the field of the last conv (or pooling) layer in input pixels."
        ),
    },
    "nb02.first_layer_cifar": {
        "ru": (
            "### Первый слой на CIFAR-10\n\n"
            "Фильтры первого сверточного слоя (первые 8 из каждого варианта, каждый масштабирован к своему "
            "диапазону) и его выходы для одного тестового изображения. Фильтры 1x1 — это один пиксель: "
            "цвет, на который реагирует канал. Показан запуск с наименьшим seed."
        ),
        "en": (
            "### The first layer on CIFAR-10\n\n"
            "First conv layer filters (the first 8 of each variant, each scaled to its own range) and the "
            "layer's outputs for one test image. A 1x1 filter is one pixel: the colour the channel responds "
            "to. The run with the lowest seed is shown."
        ),
    },
    "nb02.first_layer_mnist": {
        "ru": (
            "### Первый слой на MNIST\n\n"
            "Те же четыре варианта, обученные на MNIST с тем же бюджетом параметров (один канал, поэтому "
            "фильтры серые). Эти модели нужны только чтобы посмотреть на фильтры и выходы первого слоя, "
            "поэтому каждая обучена один раз (seed {seed}); их точность — в таблице ниже."
        ),
        "en": (
            "### The first layer on MNIST\n\n"
            "The same four variants trained on MNIST at the same parameter budget (one channel, so the "
            "filters are grey). These models are here only to look at first-layer filters and outputs, so "
            "each is trained once (seed {seed}); their accuracy is in the table below."
        ),
    },
    "nb02.kernel_conclusions_title": {"ru": "### Выводы: размер ядра", "en": "### Conclusions: kernel size"},
    "nb02.kernel_worst": {
        "ru": "- Хуже всех — **{worst}**: {worst_acc}; отставание от **{best}**: {verdict}.",
        "en": "- **{worst}** is last: {worst_acc}; its gap to **{best}**: {verdict}.",
    },
    "nb02.kernel_field": {
        "ru": (
            "- При одинаковом бюджете рецептивное поле последнего слоя растет с размером ядра: {fields}. "
            "Большое ядро видит больше, но за тот же бюджет получает меньше каналов (ширины {widths})."
        ),
        "en": (
            "- At one budget the last layer's receptive field grows with the kernel: {fields}. A large "
            "kernel sees more but gets fewer channels for the same budget (widths {widths})."
        ),
    },
    "nb02.kernel_speed": {
        "ru": (
            "- Быстрее всех обучается **{fastest}** ({fastest_s:.1f} с), медленнее всех — **{slowest}** "
            "({slowest_s:.1f} с). Число параметров одинаково, а число операций на изображение разное "
            "(MFLOPs: {flops}); время зависит от него, от объема промежуточных тензоров (ширина первой "
            "стадии работает на полном разрешении) и от того, насколько библиотека сверток на этом "
            "устройстве оптимизирована под ядро."
        ),
        "en": (
            "- **{fastest}** trains fastest ({fastest_s:.1f} s), **{slowest}** slowest ({slowest_s:.1f} s). "
            "The parameter count is the same but the operation count per image differs (MFLOPs: {flops}); "
            "the time depends on it, on the size of the intermediate tensors (the first stage's width works "
            "at full resolution) and on how well the convolution library of this device is tuned for the "
            "kernel."
        ),
    },
    "nb02.section_depth": {
        "ru": (
            "## 2.2 Глубина сети и residual-связи\n\n"
            "Сеть `DepthCNN`: {depths} сверточных слоев 3x3 одной ширины (каналов в слое: {width}), два max pooling "
            "2x2 на трети и двух третях глубины, глобальное усреднение и линейный слой. Вариант с residual "
            "добавляет к каждому слою, кроме первого, тождественную связь: ReLU(x + conv(x)); число "
            "параметров при этом не меняется. **Batch norm здесь нет намеренно:** он перенормирует сигнал "
            "в каждом слое и скрыл бы затухание градиента, которое мы хотим увидеть."
        ),
        "en": (
            "## 2.2 Depth and residual links\n\n"
            "The `DepthCNN` network: {depths} 3x3 conv layers of one width ({width} channels), two 2x2 max "
            "pools at one and two thirds of the depth, global average pooling and a linear layer. The "
            "residual variant adds an identity link around every layer but the first: ReLU(x + conv(x)); "
            "the parameter count stays the same. **There is no batch norm on purpose:** it renormalises the "
            "signal in every layer and would hide the vanishing gradient we want to see."
        ),
    },
    "nb02.depth_curves": {
        "ru": "### Точность в зависимости от глубины\n\nТочка — один запуск, линия — среднее по seed.",
        "en": "### Accuracy by depth\n\nA dot is one run, the line is the mean over seeds.",
    },
    "nb02.gradients": {
        "ru": (
            "### Градиенты по слоям и эпохам\n\n"
            "На первом шаге (эпоха 0, начальные веса) и после последнего батча каждой эпохи записывается "
            "норма градиента весов каждого сверточного слоя (запуск с наименьшим seed). Картины «слои × эпохи» имеют общую "
            "логарифмическую шкалу: если верхние строки (слои у входа) намного темнее нижних, градиент затухает по пути к "
            "входу."
        ),
        "en": (
            "### Gradients per layer and epoch\n\n"
            "At the first step (epoch 0, the initial weights) and after the last batch of every epoch the "
            "gradient norm of each conv layer's weights is recorded (the run with the lowest seed). The layers × epochs pictures share one logarithmic scale: when "
            "the top rows (input-side layers) are much darker than the bottom ones, the gradient vanishes "
            "on its way to the input."
        ),
    },
    "nb02.gradient_ratio": {
        "ru": (
            "Отношение нормы градиента первого сверточного слоя к последнему. Около 1 — оба конца сети "
            "учатся с одной скоростью; намного меньше 1 — затухание, намного больше 1 — взрыв. В таблице — "
            "среднее геометрическое по seed на начальных весах и в последнюю эпоху."
        ),
        "en": (
            "The gradient norm of the first conv layer divided by the last one's. Near 1 both ends of the "
            "network learn at the same rate; far below 1 is vanishing, far above 1 is exploding. The table "
            "gives the geometric mean over seeds at the initial weights and in the last epoch."
        ),
    },
    "nb02.feature_maps": {
        "ru": (
            "### Feature maps\n\n"
            "Выходы каждого сверточного слоя сети **{model}** для одного тестового изображения (класс "
            "«{label}»), считанные forward-хуками, которые снимаются после прохода. По мере углубления "
            "карты становятся меньше и абстрактнее: первые слои реагируют на края и цвета, последние — на "
            "крупные части объекта."
        ),
        "en": (
            "### Feature maps\n\n"
            "The outputs of every conv layer of **{model}** for one test image (class \"{label}\"), read by "
            "forward hooks that are removed after the pass. Deeper maps get smaller and more abstract: the "
            "first layers respond to edges and colours, the last ones to large parts of the object."
        ),
    },
    "nb02.feature_maps_widget": {
        "ru": "Ползунок `layer` выбирает слой, `page` — страницу из 16 каналов.",
        "en": "The `layer` slider picks the layer, `page` a page of 16 channels.",
    },
    "nb02.feature_maps_static": {
        "ru": (
            "Ноутбук выполнен без интерфейса (papermill, CI), где виджет не отображается, поэтому ниже — "
            "статичная сетка: первые 8 каналов каждого слоя. В JupyterLab здесь появится ползунок."
        ),
        "en": (
            "The notebook ran headless (papermill, CI), where a widget cannot be shown, so below is a static "
            "grid: the first 8 channels of every layer. In JupyterLab a slider appears here."
        ),
    },
    "nb02.depth_conclusions_title": {"ru": "### Выводы: глубина", "en": "### Conclusions: depth"},
    "nb02.depth_pair": {
        "ru": "- Глубина {depth}: с residual {residual_acc}, без — {plain_acc}; {verdict}.",
        "en": "- Depth {depth}: residual {residual_acc}, plain {plain_acc}; {verdict}.",
    },
    "nb02.depth_ratio": {
        "ru": (
            "- Отношение нормы градиента первого сверточного слоя к последнему у сетей глубины {depth} на "
            "начальных весах (первый шаг): без residual {plain_ratio:.3g}, с residual {residual_ratio:.3g}; "
            "в конце обучения: {plain_end:.3g} и {residual_end:.3g}. {meaning}"
        ),
        "en": (
            "- The gradient norm of the first conv layer over the last one's in the depth-{depth} nets at the "
            "initial weights (first step): plain {plain_ratio:.3g}, residual {residual_ratio:.3g}; at the end "
            "of training: {plain_end:.3g} and {residual_end:.3g}. {meaning}"
        ),
    },
    "nb02.ratio_vanishing": {
        "ru": (
            "На начальных весах градиент у входа сети без residual составляет лишь {share:.2%} от градиента "
            "у выхода: это затухание градиента. К концу обучения отношение стало {plain_end:.3g}: веса "
            "изменились, и градиент доходит до входа, но первые шаги ранние слои получали почти нулевой "
            "сигнал. Тождественная связь дает градиенту путь в обход каждого слоя с самого начала."
        ),
        "en": (
            "At the initial weights the input-side gradient of the plain net is only {share:.2%} of the output "
            "side's: this is the vanishing gradient. By the end of training the ratio is {plain_end:.3g}: the "
            "weights have changed and the gradient reaches the input, but during the first steps the early "
            "layers got almost no signal. The identity link gives the gradient a path around every layer "
            "from the start."
        ),
    },
    "nb02.ratio_balanced": {
        "ru": "Ни в одной из сетей градиент по пути к входу не ослабевает более чем в 10 раз.",
        "en": "In neither network does the gradient weaken more than tenfold on its way to the input.",
    },
    "nb02.ratio_exploding": {
        "ru": "Градиент у входа более чем в 10 раз сильнее, чем у выхода: признак взрыва градиента.",
        "en": "The input-side gradient is more than ten times the output side's: a sign of exploding gradients.",
    },
}
