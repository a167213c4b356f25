"""The feature-map browser: sliders that redraw one layer's feature maps in JupyterLab.

ipywidgets renders only in a live notebook front end. A headless run (papermill,
nbconvert, CI) stores no widget view, so the notebook draws
`cnnlib.plotting_architecture.plot_feature_map_grid` there instead.
"""

from __future__ import annotations

import math
import os
from typing import Mapping

import matplotlib.pyplot as plt
import torch
from matplotlib.figure import Figure

from .plotting import save_figure
from .session import flag_setting
from .plotting_architecture import plot_feature_map_grid, plot_feature_maps


def interactive_session(flag: bool | None = None) -> bool:
    """Return whether to show widgets: ``flag`` when given, else False when CNNLIB_HEADLESS or CI is set."""
    if flag is not None:
        return flag_setting("interactive", flag, "CNNLIB_HEADLESS")
    return not flag_setting("interactive", None, "CNNLIB_HEADLESS") and not os.environ.get("CI")


class FeatureMapBrowser:
    """Two sliders (layer, channel page) over recorded feature maps, and the figure they select.

    ``render(layer_index, page)`` draws the figure and is what the sliders call;
    ``widget()`` builds the ipywidgets view (imported only then).
    """

    def __init__(self, maps: Mapping[str, torch.Tensor], per_page: int = 16, image_index: int = 0):
        if not maps:
            raise ValueError("no feature maps to browse: run a FeatureMapExtractor first")
        self.maps = dict(maps)
        self.layers = list(self.maps)
        self.per_page = per_page
        self.image_index = image_index

    def pages(self, layer_index: int) -> int:
        """Return how many pages of ``per_page`` channels layer ``layer_index`` has."""
        return max(1, math.ceil(self.maps[self.layers[layer_index]].shape[1] / self.per_page))

    def render(self, layer_index: int, page: int = 0) -> Figure:
        """Return the figure of page ``page`` of layer ``layer_index`` (page clamped to the layer's pages)."""
        page = min(page, self.pages(layer_index) - 1)
        return plot_feature_maps(self.maps, self.layers[layer_index], page, self.per_page, self.image_index)

    def widget(self):
        """Return an ipywidgets VBox: a layer slider, a page slider and the figure they select."""
        import ipywidgets as widgets
        from IPython.display import display

        layer_slider = widgets.IntSlider(value=0, min=0, max=len(self.layers) - 1, description="layer",
                                         continuous_update=False)
        page_slider = widgets.IntSlider(value=0, min=0, max=self.pages(0) - 1, description="page",
                                        continuous_update=False)
        name = widgets.Label(self.layers[0])
        output = widgets.Output()

        def redraw(_change=None):
            page_slider.max = self.pages(layer_slider.value) - 1
            name.value = self.layers[layer_slider.value]
            figure = self.render(layer_slider.value, page_slider.value)
            with output:
                output.clear_output(wait=True)
                display(figure)
            plt.close(figure)

        layer_slider.observe(redraw, names="value")
        page_slider.observe(redraw, names="value")
        redraw()
        return widgets.VBox([widgets.HBox([layer_slider, name]), page_slider, output])


def show_feature_maps(maps: Mapping[str, torch.Tensor], image: torch.Tensor, path, *,
                      interactive: bool | None = None, interactive_key: str | None = None,
                      static_key: str | None = None) -> None:
    """Show the feature-map browser in a live notebook, else the static grid.

    The grid is saved to ``path`` either way, so reports and graders get the
    picture. ``interactive_key`` / ``static_key`` are `cnnlib.text` keys of the
    line shown above the widget or the grid.
    """
    from IPython.display import display

    from .notebook import show_figure, show_text

    grid = plot_feature_map_grid(maps, image)
    if interactive_session(interactive):
        save_figure(grid, path)
        plt.close(grid)
        if interactive_key:
            show_text(interactive_key)
        display(FeatureMapBrowser(maps).widget())
    else:
        if static_key:
            show_text(static_key)
        show_figure(grid, path)
