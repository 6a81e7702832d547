"""Code the fixer adds to a former ManimGL GraphScene: its CONFIG defaults and its methods,
rebuilt on Manim Community's Axes (added only when the scene uses them).

Colours are palette roles (app/core/palette.py), not the raw names GraphScene had (GREY axes,
a BLUE graph, BLUE-to-GREEN rectangles with BLACK edges); `fix_code` defines the roles used."""

from __future__ import annotations

GRAPH_SCENE_DEFAULTS = {
    "x_min": "-1",
    "x_max": "10",
    "x_axis_width": "9",
    "x_tick_frequency": "1",
    "x_labeled_nums": "None",
    "x_axis_label": '"$x$"',
    "y_min": "-1",
    "y_max": "10",
    "y_axis_height": "6",
    "y_tick_frequency": "1",
    "y_labeled_nums": "None",
    "y_axis_label": '"$y$"',
    "axes_color": "MUTED",
    "graph_origin": "2.5 * DOWN + 4 * LEFT",
    "exclude_zero_label": "True",
    "default_graph_color": "ACCENT",
    "axes": "None",
}
# GraphScene methods rebuilt on Community's Axes; added to a former GraphScene when used.
GRAPH_SCENE_METHODS = {
    "setup_axes": """
def setup_axes(self, animate=False):
    self.axes = Axes(
        x_range=[self.x_min, self.x_max, self.x_tick_frequency],
        y_range=[self.y_min, self.y_max, self.y_tick_frequency],
        x_length=self.x_axis_width,
        y_length=self.y_axis_height,
        axis_config={"color": self.axes_color, "include_tip": False},
        tips=False,
    )
    self.axes.shift(self.graph_origin - self.axes.c2p(0, 0))
    excluded = [0] if self.exclude_zero_label else []
    if self.x_labeled_nums:
        self.axes.x_axis.add_numbers(list(self.x_labeled_nums), excluding=excluded)
    if self.y_labeled_nums:
        self.axes.y_axis.add_numbers(list(self.y_labeled_nums), excluding=excluded)
    self.x_axis, self.y_axis = self.axes.x_axis, self.axes.y_axis
    self.axes_labels = VGroup()
    if self.x_axis_label:
        label = Tex(self.x_axis_label).next_to(self.axes.x_axis.get_end(), UR, buff=SMALL_BUFF)
        self.axes_labels.add(label)
    if self.y_axis_label:
        label = Tex(self.y_axis_label).next_to(self.axes.y_axis.get_end(), UR, buff=SMALL_BUFF)
        self.axes_labels.add(label)
    if animate:
        self.play(Create(self.axes), *[Write(label) for label in self.axes_labels])
    else:
        self.add(self.axes, self.axes_labels)
""",
    "coords_to_point": """
def coords_to_point(self, x, y):
    return self.axes.c2p(x, y)
""",
    "point_to_coords": """
def point_to_coords(self, point):
    return self.axes.p2c(point)[:2]
""",
    "get_graph": """
def get_graph(self, func, color=None, x_min=None, x_max=None, **kwargs):
    x_min = self.x_min if x_min is None else x_min
    x_max = self.x_max if x_max is None else x_max
    color = self.default_graph_color if color is None else color
    return self.axes.plot(func, x_range=[x_min, x_max], color=color, **kwargs)
""",
    "input_to_graph_point": """
def input_to_graph_point(self, x, graph):
    return self.axes.input_to_graph_point(x, graph)
""",
    "get_vertical_line_to_graph": """
def get_vertical_line_to_graph(self, x, graph, line_class=Line, **line_kwargs):
    return line_class(
        self.axes.c2p(x, 0), self.axes.input_to_graph_point(x, graph), **line_kwargs
    )
""",
    "get_riemann_rectangles": """
def get_riemann_rectangles(
    self,
    graph,
    x_min=None,
    x_max=None,
    dx=0.1,
    input_sample_type="left",
    stroke_width=1,
    stroke_color=BACKGROUND,
    fill_opacity=1,
    start_color=ACCENT,
    end_color=POSITIVE,
    **kwargs,
):
    x_min = self.x_min if x_min is None else x_min
    x_max = self.x_max if x_max is None else x_max
    return self.axes.get_riemann_rectangles(
        graph,
        x_range=[x_min, x_max],
        dx=dx,
        input_sample_type=input_sample_type,
        stroke_width=stroke_width,
        stroke_color=stroke_color,
        fill_opacity=fill_opacity,
        color=(start_color, end_color),
    )
""",
    "get_area": """
def get_area(self, graph, t_min, t_max, **kwargs):
    return self.axes.get_area(graph, x_range=[t_min, t_max], opacity=0.5)
""",
    "get_graph_label": """
def get_graph_label(
    self, graph, label="f(x)", x_val=None, direction=RIGHT, buff=MED_SMALL_BUFF, color=None
):
    return self.axes.get_graph_label(
        graph, label, x_val=x_val, direction=direction, buff=buff, color=color
    )
""",
    "get_derivative_graph": """
def get_derivative_graph(self, graph, **kwargs):
    return self.axes.plot_derivative_graph(graph, **kwargs)
""",
    "get_secant_slope_group": """
def get_secant_slope_group(self, x, graph, dx=None, **kwargs):
    return self.axes.get_secant_slope_group(x, graph, dx=dx or 0.1, **kwargs)
""",
    "angle_of_tangent": """
def angle_of_tangent(self, x, graph, dx=0.0001):
    return self.axes.angle_of_tangent(x, graph, dx)
""",
    "slope_of_tangent": """
def slope_of_tangent(self, x, graph, dx=0.0001):
    return self.axes.slope_of_tangent(x, graph, dx)
""",
}
