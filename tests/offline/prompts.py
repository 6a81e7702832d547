"""The planner's prompt suite: how teachers phrase each template, and prompts out of scope.

Each case is (prompt, expected template id, expected parameters). Only the listed parameters
are checked; numbers compare with a small tolerance and expressions by their canonical text.
bench/generate_latency.py times generate() over the same prompts.
"""

from __future__ import annotations

import math
from typing import NamedTuple

PI = math.pi


class Case(NamedTuple):
    prompt: str
    template: str
    params: dict


CASES: list[Case] = [
    # ---------------------------------------------------------------- function_graph
    Case(
        "Plot y = x^2 - 4x + 3 from -1 to 5",
        "function_graph",
        {"expression": "x**2 - 4*x + 3", "x_range": [-1, 5]},
    ),
    Case(
        "graph f(x)=sin(x)/x on [-10, 10]",
        "function_graph",
        {"expression": "sin(x)/x", "x_range": [-10, 10]},
    ),
    Case(
        "Draw the curve y = e^x between -2 and 2",
        "function_graph",
        {"expression": "exp(x)", "x_range": [-2, 2]},
    ),
    Case("sketch the graph of 2x + 1", "function_graph", {"expression": "2*x + 1"}),
    Case(
        "plot sin x from 0 to 2pi",
        "function_graph",
        {"expression": "sin(x)", "x_range": [0, 2 * PI]},
    ),
    Case("y = x³ - 3x", "function_graph", {"expression": "x**3 - 3*x"}),
    Case("Show me the graph of the parabola y=x²", "function_graph", {"expression": "x**2"}),
    Case(
        "Can you plot 1/x for -4 < x < 4?",
        "function_graph",
        {"expression": "1/x", "x_range": [-4, 4]},
    ),
    Case("graph |x| on (-3, 3)", "function_graph", {"expression": "abs(x)", "x_range": [-3, 3]}),
    Case(
        "Plot the square root of x from 0 to 9",
        "function_graph",
        {"expression": "sqrt(x)", "x_range": [0, 9]},
    ),
    Case("Graph a cubic function", "function_graph", {"expression": "x**3 - 3*x"}),
    Case("plot ln x", "function_graph", {"expression": "log(x)", "x_range": [0, 6]}),
    # ---------------------------------------------------------------- derivative_tangent
    Case(
        "Show the tangent line sliding along y = x^2", "derivative_tangent", {"expression": "x**2"}
    ),
    Case(
        "Visualise the derivative of sin x as the slope of the tangent",
        "derivative_tangent",
        {"expression": "sin(x)"},
    ),
    Case(
        "What is f'(x) for f(x) = x^3 - 3x? Show the slope changing",
        "derivative_tangent",
        {"expression": "x**3 - 3*x"},
    ),
    Case(
        "animate the rate of change of x^2 - 2x between -2 and 4",
        "derivative_tangent",
        {"expression": "x**2 - 2*x", "x_range": [-2, 4]},
    ),
    Case("differentiate e^x and show the tangent", "derivative_tangent", {"expression": "exp(x)"}),
    # The product brief's own example: "tangent line" names no curve, so the default curve.
    Case(
        "show how the derivative is the slope of the tangent line",
        "derivative_tangent",
        {"expression": "x**2"},
    ),
    Case(
        "secant lines approach the tangent line of x^3",
        "derivative_tangent",
        {"expression": "x**3"},
    ),
    Case(
        "slope of the curve y = cos x from -pi to pi",
        "derivative_tangent",
        {"expression": "cos(x)", "x_range": [-PI, PI]},
    ),
    # ---------------------------------------------------------------- riemann_sum
    Case(
        "Approximate the area under x^2 from 0 to 3 with 6 rectangles",
        "riemann_sum",
        {"expression": "x**2", "x_range": [0, 3], "n": 6},
    ),
    Case(
        "Riemann sum of sin(x) + 1 on [0, 2pi] with n = 8",
        "riemann_sum",
        {"expression": "sin(x) + 1", "x_range": [0, 2 * PI], "n": 8},
    ),
    Case(
        "left Riemann sum for f(x) = x^3 between 0 and 2 using 10 rectangles",
        "riemann_sum",
        {"expression": "x**3", "x_range": [0, 2], "n": 10},
    ),
    Case(
        "show rectangles under the curve y = 4 - x^2 from -2 to 2",
        "riemann_sum",
        {"expression": "4 - x**2", "x_range": [-2, 2]},
    ),
    Case("Riemann sums", "riemann_sum", {"expression": "x**2", "n": 6}),
    # ---------------------------------------------------------------- integral_area
    Case(
        "Show the area under the curve y = x^2 from 0 to 2",
        "integral_area",
        {"expression": "x**2", "x_range": [0, 2]},
    ),
    Case(
        "integrate sin x from 0 to pi",
        "integral_area",
        {"expression": "sin(x)", "x_range": [0, PI]},
    ),
    Case(
        "definite integral of x^2 - 1 between -2 and 2",
        "integral_area",
        {"expression": "x**2 - 1", "x_range": [-2, 2]},
    ),
    Case(
        "What does the integral of 2x from 1 to 3 mean?",
        "integral_area",
        {"expression": "2*x", "x_range": [1, 3]},
    ),
    Case(
        "area below y = e^(-x^2) on [-2, 2]",
        "integral_area",
        {"expression": "exp(-x**2)", "x_range": [-2, 2]},
    ),
    # ---------------------------------------------------------------- limit_approach
    Case(
        "Show the limit of sin(x)/x as x approaches 0",
        "limit_approach",
        {"expression": "sin(x)/x", "point": 0},
    ),
    Case(
        "limit of (x^2 - 1)/(x - 1) as x -> 1",
        "limit_approach",
        {"expression": "(x**2 - 1)/(x - 1)", "point": 1},
    ),
    Case(
        "what happens to 1/x as x tends to 0", "limit_approach", {"expression": "1/x", "point": 0}
    ),
    Case("lim x→2 of x^2", "limit_approach", {"expression": "x**2", "point": 2}),
    Case(
        "one-sided limits of |x|/x at x = 0",
        "limit_approach",
        {"expression": "abs(x)/x", "point": 0},
    ),
    # ---------------------------------------------------------------- taylor_series
    Case(
        "Approximate sin x with its Taylor polynomials, 4 terms",
        "taylor_series",
        {"function": "sin", "terms": 4},
    ),
    Case("Maclaurin series of e^x up to 5 terms", "taylor_series", {"function": "exp", "terms": 5}),
    Case("taylor series for cos x", "taylor_series", {"function": "cos"}),
    Case(
        "power series of ln(1+x) with 6 terms", "taylor_series", {"function": "ln(1+x)", "terms": 6}
    ),
    Case(
        "Show how polynomials approximate the exponential function (Taylor, degree 4)",
        "taylor_series",
        {"function": "exp", "terms": 5},
    ),
    # ---------------------------------------------------------------- pythagorean_theorem
    Case(
        "Prove the Pythagorean theorem for a right triangle with legs 3 and 4",
        "pythagorean_theorem",
        {"a": 3, "b": 4},
    ),
    Case("pythagoras with legs 5 and 12", "pythagorean_theorem", {"a": 5, "b": 12}),
    Case("Show a^2 + b^2 = c^2", "pythagorean_theorem", {"a": 3, "b": 4}),
    Case("find the hypotenuse when a = 6 and b = 8", "pythagorean_theorem", {"a": 6, "b": 8}),
    Case(
        "right-angled triangle with sides 8 and 15, find the hypotenuse",
        "pythagorean_theorem",
        {"a": 8, "b": 15},
    ),
    # ---------------------------------------------------------------- unit_circle_trig
    Case(
        "Show how the sine graph comes from the unit circle",
        "unit_circle_trig",
        {"function": "sin"},
    ),
    Case("unit circle cosine animation", "unit_circle_trig", {"function": "cos"}),
    Case("explain tan on the unit circle", "unit_circle_trig", {"function": "tan"}),
    Case(
        "trig functions from a rotating point on a circle", "unit_circle_trig", {"function": "sin"}
    ),
    Case("How does cos θ relate to the unit circle?", "unit_circle_trig", {"function": "cos"}),
    # ---------------------------------------------------------------- quadratic_formula
    Case(
        "Solve x^2 - 5x + 6 = 0 with the quadratic formula",
        "quadratic_formula",
        {"a": 1, "b": -5, "c": 6},
    ),
    Case("quadratic formula for 2x^2 + 3x - 2 = 0", "quadratic_formula", {"a": 2, "b": 3, "c": -2}),
    Case("solve x² + 2x + 5 = 0", "quadratic_formula", {"a": 1, "b": 2, "c": 5}),
    Case("find the roots of x^2 - 4", "quadratic_formula", {"a": 1, "b": 0, "c": -4}),
    Case(
        "quadratic formula with a = 1, b = -3, c = 2",
        "quadratic_formula",
        {"a": 1, "b": -3, "c": 2},
    ),
    Case(
        "Explain the discriminant of 3x^2 - 6x + 3 = 0",
        "quadratic_formula",
        {"a": 3, "b": -6, "c": 3},
    ),
    # ---------------------------------------------------------------- equation_steps
    Case("Solve 2x + 3 = 11 step by step", "equation_steps", {"equation": "2*x + 3 = 11"}),
    Case("solve 3(x - 2) = x + 4", "equation_steps", {"equation": "3*(x - 2) = x + 4"}),
    Case("How do I solve 5 = 2x - 7 for x?", "equation_steps", {"equation": "5 = 2*x - 7"}),
    Case(
        "show the steps to solve x/2 - 5 = -3x + 9",
        "equation_steps",
        {"equation": "x/2 - 5 = -3*x + 9"},
    ),
    Case(
        "linear equation 7x - 4 = 3x + 8, do the same to both sides",
        "equation_steps",
        {"equation": "7*x - 4 = 3*x + 8"},
    ),
    # ---------------------------------------------------------------- number_line
    Case("Show -3 + 5 on a number line", "number_line", {"operation": "-3 + 5"}),
    Case("number line for 4 - 7", "number_line", {"operation": "4 - 7"}),
    Case("plot -2.5, 0, 1.5 and 4 on a number line", "number_line", {"values": [-2.5, 0, 1.5, 4]}),
    Case("use a number line to add 6 and -2", "number_line", {"operation": "6 + (-2)"}),
    Case(
        "order these numbers on a number line: 3, -1, 0.5, -4",
        "number_line",
        {"values": [3, -1, 0.5, -4]},
    ),
    Case("subtract 8 from 3 on a number line", "number_line", {"operation": "3 - 8"}),
    # ---------------------------------------------------------------- fractions
    Case(
        "Add 1/2 and 1/3 using fraction bars",
        "fractions",
        {"fractions": ["1/2", "1/3"], "operation": "add"},
    ),
    Case(
        "which is bigger, 3/4 or 2/3?",
        "fractions",
        {"fractions": ["3/4", "2/3"], "operation": "compare"},
    ),
    Case(
        "subtract 1/4 from 5/6", "fractions", {"fractions": ["5/6", "1/4"], "operation": "subtract"}
    ),
    Case("show what 3/8 means", "fractions", {"fractions": ["3/8"], "operation": "show"}),
    Case(
        "compare the fractions 2/5 and 1/2",
        "fractions",
        {"fractions": ["2/5", "1/2"], "operation": "compare"},
    ),
    Case("fractions: 2/3 + 1/6", "fractions", {"fractions": ["2/3", "1/6"], "operation": "add"}),
    # ---------------------------------------------------------------- circle_area
    Case("Show why the area of a circle is pi r squared", "circle_area", {"radius": 2}),
    Case("area of a circle with radius 3", "circle_area", {"radius": 3}),
    Case("derive πr² by cutting a circle into slices", "circle_area", {"radius": 2}),
    Case("circle area when the diameter is 10 cm", "circle_area", {"radius": 5}),
    Case("why is a circle's area pi r^2? r = 1.5", "circle_area", {"radius": 1.5}),
    # ---------------------------------------------------------------- triangle_angle_sum
    Case("Prove that the angles of a triangle add up to 180 degrees", "triangle_angle_sum", {}),
    Case("triangle angle sum", "triangle_angle_sum", {}),
    Case("why do the interior angles in a triangle sum to 180°?", "triangle_angle_sum", {}),
    Case(
        "show the sum of the angles in any triangle with a parallel line", "triangle_angle_sum", {}
    ),
    # ---------------------------------------------------------------- vector_addition
    Case(
        "Add the vectors (3, 1) and (1, 2) tip to tail",
        "vector_addition",
        {"vectors": [[3, 1], [1, 2]]},
    ),
    Case(
        "vector addition of <2, 3>, <3, -1> and <-1, -3>",
        "vector_addition",
        {"vectors": [[2, 3], [3, -1], [-1, -3]]},
    ),
    Case(
        "show the resultant of 4i + 2j and -1i + 3j",
        "vector_addition",
        {"vectors": [[4, 2], [-1, 3]]},
    ),
    Case("add two vectors head to tail", "vector_addition", {"vectors": [[3, 1], [1, 2]]}),
    Case(
        "parallelogram rule for vectors [-4, 2] and [6, 1]",
        "vector_addition",
        {"vectors": [[-4, 2], [6, 1]]},
    ),
    # ---------------------------------------------------------------- matrix_transformation
    Case(
        "Show the linear transformation of the matrix [[1, 1], [0, 1]]",
        "matrix_transformation",
        {"matrix": [[1, 1], [0, 1]]},
    ),
    Case(
        "what does the matrix [[2, 0], [0, 3]] do to the plane?",
        "matrix_transformation",
        {"matrix": [[2, 0], [0, 3]]},
    ),
    Case("rotation matrix for 90 degrees", "matrix_transformation", {"matrix": [[0, -1], [1, 0]]}),
    Case(
        "animate a shear transformation of the grid",
        "matrix_transformation",
        {"matrix": [[1, 1], [0, 1]]},
    ),
    Case(
        "linear map reflecting in the x-axis",
        "matrix_transformation",
        {"matrix": [[1, 0], [0, -1]]},
    ),
    Case(
        "determinant of [[2, 1], [1, -1.5]] as area scaling",
        "matrix_transformation",
        {"matrix": [[2, 1], [1, -1.5]]},
    ),
    # ---------------------------------------------------------------- probability_coin_flips
    Case(
        "Flip a coin 50 times and show the proportion of heads",
        "probability_coin_flips",
        {"flips": 50},
    ),
    Case("coin toss simulation", "probability_coin_flips", {"flips": 20}),
    Case("law of large numbers with 100 coin flips", "probability_coin_flips", {"flips": 100}),
    Case(
        "probability of heads when tossing a coin 10 times", "probability_coin_flips", {"flips": 10}
    ),
    Case("simulate 30 coin tosses", "probability_coin_flips", {"flips": 30}),
    # ---------------------------------------------------------------- bar_chart
    Case(
        "Make a bar chart of favourite fruits: apples 5, bananas 3, cherries 7, grapes 4",
        "bar_chart",
        {"labels": ["Apples", "Bananas", "Cherries", "Grapes"], "values": [5, 3, 7, 4]},
    ),
    Case(
        "bar graph of pets: dogs 12, cats 9, fish 4 and rabbits 2",
        "bar_chart",
        {"labels": ["Dogs", "Cats", "Fish", "Rabbits"], "values": [12, 9, 4, 2]},
    ),
    Case(
        "column chart with labels Mon, Tue, Wed and values 3, 5, 2",
        "bar_chart",
        {"labels": ["Mon", "Tue", "Wed"], "values": [3, 5, 2]},
    ),
    Case(
        "draw a bar chart of the survey results: Red: 8, Blue: 11, Green: 6",
        "bar_chart",
        {"labels": ["Red", "Blue", "Green"], "values": [8, 11, 6]},
    ),
    Case(
        "bar chart of [4, 8, 15, 16]",
        "bar_chart",
        {"labels": ["A", "B", "C", "D"], "values": [4, 8, 15, 16]},
    ),
    # ---------------------------------------------------------------- venn_diagram
    Case(
        "Venn diagram of multiples of 2 and multiples of 3 up to 20",
        "venn_diagram",
        {
            "sets": [
                {
                    "name": "Multiples of 2",
                    "items": ["2", "4", "6", "8", "10", "12", "14", "16", "18", "20"],
                },
                {"name": "Multiples of 3", "items": ["3", "6", "9", "12", "15", "18"]},
            ]
        },
    ),
    Case(
        "venn diagram with A = {1, 2, 3, 4} and B = {3, 4, 5, 6}",
        "venn_diagram",
        {
            "sets": [
                {"name": "A", "items": ["1", "2", "3", "4"]},
                {"name": "B", "items": ["3", "4", "5", "6"]},
            ]
        },
    ),
    Case(
        "Venn diagram of students who like cats and dogs",
        "venn_diagram",
        {"sets": [{"name": "Cats", "items": []}, {"name": "Dogs", "items": []}]},
    ),
    Case(
        "show the intersection of the factors of 12 and 18 in a venn diagram",
        "venn_diagram",
        {
            "sets": [
                {"name": "Factors of 12", "items": ["1", "2", "3", "4", "6", "12"]},
                {"name": "Factors of 18", "items": ["1", "2", "3", "6", "9", "18"]},
            ]
        },
    ),
    Case(
        "three-set venn diagram for A = {1,2,3,4}, B = {3,4,5,6}, C = {4,6,7,1}",
        "venn_diagram",
        {
            "sets": [
                {"name": "A", "items": ["1", "2", "3", "4"]},
                {"name": "B", "items": ["3", "4", "5", "6"]},
                {"name": "C", "items": ["4", "6", "7", "1"]},
            ]
        },
    ),
    # ---------------------------------------------------------------- projectile_motion
    Case(
        "A ball is launched at 20 m/s at 45 degrees; show its trajectory",
        "projectile_motion",
        {"speed": 20, "angle_deg": 45},
    ),
    Case(
        "projectile motion with speed 35 m/s and angle 70°",
        "projectile_motion",
        {"speed": 35, "angle_deg": 70},
    ),
    Case(
        "a cannon fires at 30 degrees with an initial velocity of 50",
        "projectile_motion",
        {"speed": 50, "angle_deg": 30},
    ),
    Case(
        "show the parabolic path of a ball thrown at 8 m/s, angle 20 deg",
        "projectile_motion",
        {"speed": 8, "angle_deg": 20},
    ),
    Case(
        "projectile range and maximum height", "projectile_motion", {"speed": 20, "angle_deg": 45}
    ),
    # ---------------------------------------------------------------- pendulum
    Case(
        "Animate a 2 m pendulum released from 30 degrees",
        "pendulum",
        {"length": 2, "amplitude_deg": 30},
    ),
    Case(
        "simple pendulum of length 0.5 m swinging with amplitude 10°",
        "pendulum",
        {"length": 0.5, "amplitude_deg": 10},
    ),
    Case("show a pendulum swinging", "pendulum", {"length": 2, "amplitude_deg": 30}),
    Case(
        "period of a pendulum 8 metres long at 75 degrees",
        "pendulum",
        {"length": 8, "amplitude_deg": 75},
    ),
    Case("pendulum with a 50 cm string", "pendulum", {"length": 0.5}),
    # ---------------------------------------------------------------- transverse_wave
    Case(
        "Show a transverse wave with amplitude 1 and wavelength 2",
        "transverse_wave",
        {"amplitude": 1, "wavelength": 2},
    ),
    Case(
        "animate a wave on a string, wavelength 5, amplitude 0.5",
        "transverse_wave",
        {"amplitude": 0.5, "wavelength": 5},
    ),
    Case(
        "label the crest, trough and wavelength of a wave",
        "transverse_wave",
        {"amplitude": 1, "wavelength": 2},
    ),
    Case("travelling wave with λ = 3", "transverse_wave", {"wavelength": 3}),
    Case("how do particles move in a transverse wave?", "transverse_wave", {}),
    # ---------------------------------------------------------------- sorting_algorithm
    Case(
        "Show bubble sort on 5, 1, 4, 2, 8",
        "sorting_algorithm",
        {"algorithm": "bubble", "values": [5, 1, 4, 2, 8]},
    ),
    Case(
        "insertion sort [9, 3, 7, 1, 6, 2]",
        "sorting_algorithm",
        {"algorithm": "insertion", "values": [9, 3, 7, 1, 6, 2]},
    ),
    Case(
        "visualise selection sort with 64 25 12 22 11",
        "sorting_algorithm",
        {"algorithm": "selection", "values": [64, 25, 12, 22, 11]},
    ),
    Case(
        "how does a sorting algorithm work?",
        "sorting_algorithm",
        {"algorithm": "bubble", "values": [5, 1, 4, 2, 8]},
    ),
    Case(
        "sort the list 3, 9, 2, 7 with insertion sort",
        "sorting_algorithm",
        {"algorithm": "insertion", "values": [3, 9, 2, 7]},
    ),
    Case("bubble sort animation", "sorting_algorithm", {"algorithm": "bubble"}),
    # ---------------------------------------------------------------- binary_search
    Case(
        "Binary search for 23 in [2, 5, 8, 12, 16, 23, 38, 56, 72, 91]",
        "binary_search",
        {"values": [2, 5, 8, 12, 16, 23, 38, 56, 72, 91], "target": 23},
    ),
    Case(
        "use binary search to find 7 in 1, 3, 5, 7, 9, 11",
        "binary_search",
        {"values": [1, 3, 5, 7, 9, 11], "target": 7},
    ),
    Case("binary search", "binary_search", {"target": 23}),
    Case(
        "search for 35 in the sorted list [10, 20, 30, 40, 50, 60] by halving",
        "binary_search",
        {"values": [10, 20, 30, 40, 50, 60], "target": 35},
    ),
    Case(
        "binary search target 4 in [7, 1, 4, 9, 3]",
        "binary_search",
        {"values": [1, 3, 4, 7, 9], "target": 4},
    ),
    # ---------------------------------------------------------------- graph_traversal
    Case("Show breadth-first search on a graph", "graph_traversal", {"algorithm": "bfs"}),
    Case("DFS traversal", "graph_traversal", {"algorithm": "dfs"}),
    Case("depth first search animation", "graph_traversal", {"algorithm": "dfs"}),
    Case("how does BFS visit the nodes?", "graph_traversal", {"algorithm": "bfs"}),
    Case("graph traversal with a queue", "graph_traversal", {"algorithm": "bfs"}),
    # ---------------------------------------------------------------- shape_transform
    Case(
        "Turn a square into a circle",
        "shape_transform",
        {"from_shape": "square", "to_shape": "circle"},
    ),
    Case(
        "morph a triangle to a star",
        "shape_transform",
        {"from_shape": "triangle", "to_shape": "star"},
    ),
    Case(
        "transform a hexagon into a rectangle",
        "shape_transform",
        {"from_shape": "hexagon", "to_shape": "rectangle"},
    ),
    Case(
        "change the circle into a pentagon",
        "shape_transform",
        {"from_shape": "circle", "to_shape": "pentagon"},
    ),
    Case(
        "a diamond becoming an octagon",
        "shape_transform",
        {"from_shape": "rhombus", "to_shape": "octagon"},
    ),
    # ---------------------------------------------------------------- title_bullets
    Case(
        "Make a title slide 'Photosynthesis' with bullet points: light, water, carbon dioxide",
        "title_bullets",
        {"title": "Photosynthesis", "bullets": ["Light", "Water", "Carbon dioxide"]},
    ),
    Case(
        'Summary slide titled "The Water Cycle" with bullets: evaporation; condensation; '
        "precipitation",
        "title_bullets",
        {"title": "The Water Cycle", "bullets": ["Evaporation", "Condensation", "Precipitation"]},
    ),
    Case(
        'Create a title slide for "Fractions"',
        "title_bullets",
        {"title": "Fractions", "bullets": []},
    ),
    Case(
        "bullet points about the French Revolution: causes, key events, results",
        "title_bullets",
        {"title": "The French Revolution", "bullets": ["Causes", "Key events", "Results"]},
    ),
    Case("Summarise the causes of World War I in bullet points", "title_bullets", {}),
    # ---------------------------------------------------------------- a second round of
    # phrasings, written after the planner was built and kept whatever the result
    Case("Graph y = 3x - 2", "function_graph", {"expression": "3*x - 2"}),
    Case(
        "plot x squared minus 4 from -3 to 3",
        "function_graph",
        {"expression": "x**2 - 4", "x_range": [-3, 3]},
    ),
    Case("Draw the sine curve", "function_graph", {"expression": "sin(x)"}),
    Case(
        "tangent to the curve y = x^3 at different points",
        "derivative_tangent",
        {"expression": "x**3"},
    ),
    Case(
        "Find the area between y = x and the x-axis from 0 to 4",
        "integral_area",
        {"expression": "x", "x_range": [0, 4]},
    ),
    Case(
        "Estimate the integral of x^2 from 0 to 1 using 4 rectangles",
        "riemann_sum",
        {"expression": "x**2", "x_range": [0, 1], "n": 4},
    ),
    Case(
        "As x approaches 3, what does (x^2 - 9)/(x - 3) approach?",
        "limit_approach",
        {"expression": "(x**2 - 9)/(x - 3)", "point": 3},
    ),
    Case("Taylor expansion of cos(x) to 3 terms", "taylor_series", {"function": "cos", "terms": 3}),
    Case("a right triangle with legs of 9 cm and 12 cm", "pythagorean_theorem", {"a": 9, "b": 12}),
    Case("animate sin and cos on the unit circle", "unit_circle_trig", {"function": "sin"}),
    Case(
        "Use the quadratic formula to solve 2x² - 4x - 6 = 0",
        "quadratic_formula",
        {"a": 2, "b": -4, "c": -6},
    ),
    Case("Solve 4x - 7 = 9", "equation_steps", {"equation": "4*x - 7 = 9"}),
    Case("show 5 - 8 using jumps on a number line", "number_line", {"operation": "5 - 8"}),
    Case("add 2/5 and 1/4", "fractions", {"fractions": ["2/5", "1/4"], "operation": "add"}),
    Case("area of a circle of radius 4 cm", "circle_area", {"radius": 4}),
    Case("Why do a triangle's angles make a straight line?", "triangle_angle_sum", {}),
    Case("Vector sum of (1, 4) and (3, -2)", "vector_addition", {"vectors": [[1, 4], [3, -2]]}),
    Case(
        "Apply the matrix [[0, 1], [1, 0]] to the grid",
        "matrix_transformation",
        {"matrix": [[0, 1], [1, 0]]},
    ),
    Case("toss a coin 40 times", "probability_coin_flips", {"flips": 40}),
    Case(
        "bar chart: Maths 12, English 8, Science 10",
        "bar_chart",
        {"labels": ["Maths", "English", "Science"], "values": [12, 8, 10]},
    ),
    Case(
        "Venn diagram comparing mammals and birds",
        "venn_diagram",
        {"sets": [{"name": "Mammals", "items": []}, {"name": "Birds", "items": []}]},
    ),
    Case(
        "A football is kicked at 15 m/s at an angle of 35 degrees",
        "projectile_motion",
        {"speed": 15, "angle_deg": 35},
    ),
    Case("pendulum, length 1 m, released at 20°", "pendulum", {"length": 1, "amplitude_deg": 20}),
    Case("transverse wave with wavelength 4", "transverse_wave", {"wavelength": 4}),
    Case(
        "sort 8, 3, 5, 1 using selection sort",
        "sorting_algorithm",
        {"algorithm": "selection", "values": [8, 3, 5, 1]},
    ),
    Case(
        "find 42 with binary search in 3, 8, 15, 42, 57, 60",
        "binary_search",
        {"values": [3, 8, 15, 42, 57, 60], "target": 42},
    ),
    Case("breadth first traversal of a tree", "graph_traversal", {"algorithm": "bfs"}),
    Case(
        "morph a circle into a square",
        "shape_transform",
        {"from_shape": "circle", "to_shape": "square"},
    ),
    Case("Bullet points summarising the rules of cricket", "title_bullets", {}),
    # ---------------------------------------------------------------- a third, held-out round:
    # written and measured before any fix (30/32 routed, 7/8 refused), then kept
    Case(
        "Could you graph y = 0.5x^2 + x - 4?", "function_graph", {"expression": "0.5*x**2 + x - 4"}
    ),
    Case(
        "I want to see the curve of cos(2x) from -pi to pi",
        "function_graph",
        {"expression": "cos(2*x)", "x_range": [-PI, PI]},
    ),
    Case("plot f(x) = (x-2)(x+1)", "function_graph", {"expression": "(x - 2)*(x + 1)"}),
    Case(
        "derivative of x^2 at different points, with the tangent line",
        "derivative_tangent",
        {"expression": "x**2"},
    ),
    Case("Show how the gradient of y = x^3 changes", "derivative_tangent", {"expression": "x**3"}),
    Case(
        "use 12 rectangles to estimate the area under sqrt(x) from 0 to 4",
        "riemann_sum",
        {"expression": "sqrt(x)", "x_range": [0, 4], "n": 12},
    ),
    Case(
        "shade the area under y = 3 - x between x = 0 and x = 3",
        "integral_area",
        {"expression": "3 - x", "x_range": [0, 3]},
    ),
    Case(
        "evaluate the definite integral of x^3 from -1 to 2",
        "integral_area",
        {"expression": "x**3", "x_range": [-1, 2]},
    ),
    Case(
        "limit as x goes to 0 of (e^x - 1)/x",
        "limit_approach",
        {"expression": "(exp(x) - 1)/x", "point": 0},
    ),
    Case("Taylor series of sin(x) with 3 terms", "taylor_series", {"function": "sin", "terms": 3}),
    Case(
        "Demonstrate Pythagoras' theorem with a 6-8-10 triangle",
        "pythagorean_theorem",
        {"a": 6, "b": 8},
    ),
    Case("how is sine defined using the unit circle", "unit_circle_trig", {"function": "sin"}),
    Case(
        "Roots of 3x^2 + 2x - 1 = 0 using the formula",
        "quadratic_formula",
        {"a": 3, "b": 2, "c": -1},
    ),
    Case(
        "Walk through solving 6x + 2 = 4x - 8", "equation_steps", {"equation": "6*x + 2 = 4*x - 8"}
    ),
    Case("What is -4 + 9? Show it on a number line", "number_line", {"operation": "-4 + 9"}),
    Case(
        "Which fraction is larger, 5/8 or 3/5?",
        "fractions",
        {"fractions": ["5/8", "3/5"], "operation": "compare"},
    ),
    Case("1/4 + 2/3 with pictures", "fractions", {"fractions": ["1/4", "2/3"], "operation": "add"}),
    Case("derive the formula for the area of a circle", "circle_area", {}),
    Case("angles in a triangle always total 180", "triangle_angle_sum", {}),
    Case(
        "add vectors a = (2, 5) and b = (4, -1)", "vector_addition", {"vectors": [[2, 5], [4, -1]]}
    ),
    Case(
        "visualise the 2x2 matrix [[3, 1], [0, 2]] as a transformation",
        "matrix_transformation",
        {"matrix": [[3, 1], [0, 2]]},
    ),
    Case("Experimental probability: flip a coin 80 times", "probability_coin_flips", {"flips": 80}),
    Case(
        "Create a bar graph showing rainfall: Jan 50, Feb 40, Mar 65",
        "bar_chart",
        {"labels": ["Jan", "Feb", "Mar"], "values": [50, 40, 65]},
    ),
    Case("Draw a Venn diagram for even numbers and multiples of 3", "venn_diagram", {}),
    Case(
        "Show the flight of a projectile fired at 60 degrees with speed 25 m/s",
        "projectile_motion",
        {"speed": 25, "angle_deg": 60},
    ),
    Case("pendulum motion, 3 metre string", "pendulum", {"length": 3}),
    Case(
        "wave with amplitude 2 and wavelength 3 moving to the right",
        "transverse_wave",
        {"amplitude": 2, "wavelength": 3},
    ),
    Case("animate insertion sort", "sorting_algorithm", {"algorithm": "insertion"}),
    Case(
        "step through binary search looking for 15 in 2, 4, 7, 10, 15, 21, 30",
        "binary_search",
        {"values": [2, 4, 7, 10, 15, 21, 30], "target": 15},
    ),
    Case("compare BFS and DFS", "graph_traversal", {}),
    Case(
        "make a pentagon morph into a star",
        "shape_transform",
        {"from_shape": "pentagon", "to_shape": "star"},
    ),
    Case(
        "Key points slide on 'Forces': push, pull, friction",
        "title_bullets",
        {"title": "Forces", "bullets": ["Push", "Pull", "Friction"]},
    ),
    # ---------------------------------------------------------------- newtons_second_law
    Case("Newton's second law with a cart", "newtons_second_law", {}),
    Case(
        "Show Newton's 2nd law: a 5 kg cart pushed by a 20 N force",
        "newtons_second_law",
        {"mass": 5, "force": 20, "friction": 0},
    ),
    Case(
        "A 3 kg trolley is pulled with 12 N against 2 N of friction. Show F = ma",
        "newtons_second_law",
        {"mass": 3, "force": 12, "friction": 2},
    ),
    Case(
        "Draw the free-body diagram of a 4 kg block pushed with 30 N, friction force of 6 N",
        "newtons_second_law",
        {"mass": 4, "force": 30, "friction": 6},
    ),
    Case(
        "F = ma: push a 1.5 kg cart with 6 newtons on a frictionless track for 4 seconds",
        "newtons_second_law",
        {"mass": 1.5, "force": 6, "friction": 0, "seconds": 4},
    ),
    Case(
        "net force and acceleration of a 10 kg crate pushed with 50 N, coefficient of friction 0.2",
        "newtons_second_law",
        {"mass": 10, "force": 50, "friction": 19.6},
    ),
    Case(
        "how does mass affect acceleration? cart of mass 2 kg, force 8 N",
        "newtons_second_law",
        {"mass": 2, "force": 8, "friction": 0},
    ),
    Case(
        "Newton's second law: a 2 kg cart accelerates at 3 m/s^2",
        "newtons_second_law",
        {"mass": 2, "force": 6, "friction": 0},
    ),
    # ---------------------------------------------------------------- velocity_time_graph
    Case(
        "Velocity-time graph: from rest, accelerate at 2 m/s² for 4 s, then constant speed for "
        "3 s, then decelerate at 1 m/s² for 8 s",
        "velocity_time_graph",
        {"start_velocity": 0, "accelerations": [2, 0, -1], "durations": [4, 3, 8]},
    ),
    Case(
        "Draw a v-t graph for a car starting at 5 m/s accelerating at 3 m/s^2 for 6 seconds",
        "velocity_time_graph",
        {"start_velocity": 5, "accelerations": [3], "durations": [6]},
    ),
    Case(
        "velocity time graph: a train speeds up from 5 to 20 m/s in 10 s, then travels at "
        "constant speed for 30 s, then comes to rest in 15 s",
        "velocity_time_graph",
        {"start_velocity": 5, "accelerations": [1.5, 0, -1.333333], "durations": [10, 30, 15]},
    ),
    Case(
        "area under a velocity-time graph: initial velocity 10 m/s, deceleration 2 m/s² for 5 s",
        "velocity_time_graph",
        {"start_velocity": 10, "accelerations": [-2], "durations": [5]},
    ),
    Case(
        "speed-time graph of a cyclist at a constant 6 m/s for 20 s",
        "velocity_time_graph",
        {"start_velocity": 6, "accelerations": [0], "durations": [20]},
    ),
    Case(
        "A car accelerates at 2 m/s² for 5 s; use a velocity time graph to find the distance "
        "travelled",
        "velocity_time_graph",
        {"accelerations": [2], "durations": [5]},
    ),
    Case("show how the gradient of a v-t graph is the acceleration", "velocity_time_graph", {}),
    # ---------------------------------------------------------------- ohms_law_circuit
    Case(
        "Ohm's law: a 12 V battery with 2 Ω and 4 Ω resistors in series",
        "ohms_law_circuit",
        {"voltage": 12, "resistances": [2, 4], "arrangement": "series"},
    ),
    Case(
        "a 9 volt battery connected to resistors of 100, 220 and 330 ohms in series",
        "ohms_law_circuit",
        {"voltage": 9, "resistances": [100, 220, 330], "arrangement": "series"},
    ),
    Case(
        "Show a parallel circuit: 6V cell, 3 ohm and 6 ohm resistors",
        "ohms_law_circuit",
        {"voltage": 6, "resistances": [3, 6], "arrangement": "parallel"},
    ),
    Case(
        "Use V = IR to find the current through a 10 ohm resistor with a 1.5 V cell",
        "ohms_law_circuit",
        {"voltage": 1.5, "resistances": [10]},
    ),
    Case(
        "series circuit with 1 kΩ and 2.2 kΩ resistors and a 5 V supply; show the ammeter and "
        "voltmeter readings",
        "ohms_law_circuit",
        {"voltage": 5, "resistances": [1000, 2200], "arrangement": "series"},
    ),
    Case(
        "what current flows from a 24 V battery through 4 Ω, 6 Ω and 12 Ω in parallel?",
        "ohms_law_circuit",
        {"voltage": 24, "resistances": [4, 6, 12], "arrangement": "parallel"},
    ),
    Case("explain how resistance works in a circuit", "ohms_law_circuit", {}),
    # ---------------------------------------------------------------- balancing_chemical_equations
    Case(
        "Balance the equation CH4 + O2 -> CO2 + H2O",
        "balancing_chemical_equations",
        {"equation": "CH4 + O2 -> CO2 + H2O"},
    ),
    Case(
        "balance H₂ + O₂ → H₂O",
        "balancing_chemical_equations",
        {"equation": "H2 + O2 -> H2O"},
    ),
    Case(
        "Show how to balance Fe + O2 = Fe2O3",
        "balancing_chemical_equations",
        {"equation": "Fe + O2 -> Fe2O3"},
    ),
    Case(
        "How do I balance the combustion of propane? C3H8 + O2 -> CO2 + H2O",
        "balancing_chemical_equations",
        {"equation": "C3H8 + O2 -> CO2 + H2O"},
    ),
    Case(
        "Al + CuSO4 -> Al2(SO4)3 + Cu",
        "balancing_chemical_equations",
        {"equation": "Al + CuSO4 -> Al2(SO4)3 + Cu"},
    ),
    Case(
        "balancing chemical equations with Ca(OH)2 + HCl -> CaCl2 + H2O",
        "balancing_chemical_equations",
        {"equation": "Ca(OH)2 + HCl -> CaCl2 + H2O"},
    ),
    Case("balance a chemical equation", "balancing_chemical_equations", {}),
    # ---------------------------------------------------------------- atomic_structure
    Case(
        "Show the atomic structure of sodium: protons, neutrons and electron shells",
        "atomic_structure",
        {"element": "Na"},
    ),
    Case("Bohr model of carbon", "atomic_structure", {"element": "C"}),
    Case("draw an atom of element 17", "atomic_structure", {"element": "Cl"}),
    Case("electron shells of Mg", "atomic_structure", {"element": "Mg"}),
    Case("the electron configuration of potassium", "atomic_structure", {"element": "K"}),
    Case(
        "How many protons, neutrons and electrons in an oxygen atom?",
        "atomic_structure",
        {"element": "O"},
    ),
    # Once out of scope; a Bohr-model atom now answers it (sodium, the template's default)
    Case("Show the structure of an atom", "atomic_structure", {}),
    # ---------------------------------------------------------------- binary_numbers (tpl-cs)
    Case("Convert 13 to binary", "binary_numbers", {"number": 13, "direction": "to_binary"}),
    Case(
        "convert 1011 to decimal",
        "binary_numbers",
        {"number": 11, "direction": "to_decimal", "show_hex": False},
    ),
    Case(
        "How do you write 200 in binary and hexadecimal?",
        "binary_numbers",
        {"number": 200, "direction": "to_binary", "show_hex": True},
    ),
    Case(
        "show the binary number 110010 as a denary number",
        "binary_numbers",
        {"number": 50, "direction": "to_decimal"},
    ),
    Case(
        "decimal 45 to base 2 using repeated division by 2",
        "binary_numbers",
        {"number": 45, "direction": "to_binary"},
    ),
    Case("explain binary place values", "binary_numbers", {"direction": "to_binary"}),
    Case(
        "what is 11111111 in decimal?", "binary_numbers", {"number": 255, "direction": "to_decimal"}
    ),  # ---------------------------------------------------------------- logic_gates (tpl-cs)
    Case("Show an AND gate with its truth table", "logic_gates", {"expression": "A AND B"}),
    Case("truth table for A AND (NOT B)", "logic_gates", {"expression": "A AND (NOT B)"}),
    Case("how does an XOR gate work?", "logic_gates", {"expression": "A XOR B"}),
    Case(
        "draw the logic circuit for (A OR B) AND NOT C",
        "logic_gates",
        {"expression": "(A OR B) AND (NOT C)"},
    ),
    Case("NOT gate", "logic_gates", {"expression": "NOT A"}),
    Case("3-input OR gate truth table", "logic_gates", {"expression": "A OR B OR C"}),
    Case("What is the truth table of a NAND gate?", "logic_gates", {"expression": "A NAND B"}),
    Case(
        "boolean logic: (A NOR B) XOR C", "logic_gates", {"expression": "(A NOR B) XOR C"}
    ),  # ---------------------------------------------------------------- stack_queue (tpl-cs)
    Case(
        "Show a stack: push 3, push 5, pop, push 7",
        "stack_queue",
        {"structure": "stack", "operations": ["push 3", "push 5", "pop", "push 7"]},
    ),
    Case(
        "queue: enqueue 4, enqueue 8, dequeue",
        "stack_queue",
        {"structure": "queue", "operations": ["enqueue 4", "enqueue 8", "dequeue"]},
    ),
    Case(
        "push 1, 2 and 3 onto a stack then pop twice",
        "stack_queue",
        {"structure": "stack", "operations": ["push 1", "push 2", "push 3", "pop", "pop"]},
    ),
    Case("how does a FIFO queue work?", "stack_queue", {"structure": "queue"}),
    Case(
        "LIFO: push(10), push(20), pop()",
        "stack_queue",
        {"structure": "stack", "operations": ["push 10", "push 20", "pop"]},
    ),
    Case("explain the stack data structure", "stack_queue", {"structure": "stack"}),
    # ---------------------------------------------------------- recursion_call_stack (tpl-cs)
    Case(
        "Show the call stack for factorial(4)",
        "recursion_call_stack",
        {"function": "factorial", "n": 4},
    ),
    Case("recursive fibonacci of 5", "recursion_call_stack", {"function": "fibonacci", "n": 5}),
    Case("how does recursion work?", "recursion_call_stack", {"function": "factorial"}),
    Case(
        "explain the base case in recursion with factorial of 3",
        "recursion_call_stack",
        {"function": "factorial", "n": 3},
    ),
    Case(
        "trace fib(3) on the call stack", "recursion_call_stack", {"function": "fibonacci", "n": 3}
    ),
    Case(
        "compute 5! recursively", "recursion_call_stack", {"function": "factorial", "n": 5}
    ),  # ---------------------------------------------------------------- linked_list (tpl-cs)
    Case(
        "Insert 7 at index 2 in the linked list 3 -> 8 -> 5 -> 1",
        "linked_list",
        {"values": [3, 8, 5, 1], "operation": "insert", "position": 2, "value": 7},
    ),
    Case(
        "delete 5 from the linked list 3, 8, 5, 1",
        "linked_list",
        {"values": [3, 8, 5, 1], "operation": "delete", "position": 2},
    ),
    Case(
        "linked list: add 9 at the head",
        "linked_list",
        {"operation": "insert", "position": 0, "value": 9},
    ),
    Case(
        "remove the tail of a linked list [4, 6, 2]",
        "linked_list",
        {"values": [4, 6, 2], "operation": "delete", "position": 2},
    ),
    Case(
        "insert 10 after 8 in a linked list",
        "linked_list",
        {"operation": "insert", "position": 2, "value": 10},
    ),
    Case(
        "singly linked list: delete the node at position 1",
        "linked_list",
        {"operation": "delete", "position": 1},
    ),
    # Found by bench/planner_accuracy.py: a triple's hypotenuse is not a leg; "starting from".
    Case("prove pythagoras with a 5, 12, 13 triangle", "pythagorean_theorem", {"a": 5, "b": 12}),
    Case(
        "bacteria doubling every 20 minutes starting from 50",
        "exponential_growth_decay",
        {"initial": 50, "every": 20},
    ),
    # ---------------------------------------------------------------- tpl-maths block
    # ---------------------------------------------------------------- straight_line_graph
    Case(
        "straight line graph y = 3x - 2",
        "straight_line_graph",
        {"m": 3, "c": -2, "x1": 1, "x2": 3},
    ),
    Case(
        "gradient of the line through (1, 2) and (4, 8)",
        "straight_line_graph",
        {"m": 2, "c": 0, "x1": 1, "x2": 4},
    ),
    Case(
        "show y = mx + c with m = -1/2 and c = 3",
        "straight_line_graph",
        {"m": -0.5, "c": 3, "x1": 1, "x2": 3},
    ),
    Case(
        "Find the slope of the line y = -x + 4 using rise over run",
        "straight_line_graph",
        {"m": -1, "c": 4},
    ),
    Case(
        "a straight line with gradient 3 and y-intercept -2",
        "straight_line_graph",
        {"m": 3, "c": -2},
    ),
    Case(
        "What is the y-intercept of y = 1/3x + 2?",
        "straight_line_graph",
        {"m": 1 / 3, "c": 2, "x1": 1, "x2": 4},
    ),
    Case(
        "slope of the line joining (-2, 5) and (2, -3)",
        "straight_line_graph",
        {"m": -2, "c": 1, "x1": -2, "x2": 2},
    ),
    # ---------------------------------------------------------------- simultaneous_equations
    Case(
        "solve 2x + y = 7 and x - y = 2",
        "simultaneous_equations",
        {"a1": 2, "b1": 1, "c1": 7, "a2": 1, "b2": -1, "c2": 2},
    ),
    Case(
        "simultaneous equations 3x + 2y = 12, x - y = -1",
        "simultaneous_equations",
        {"a1": 3, "b1": 2, "c1": 12, "a2": 1, "b2": -1, "c2": -1},
    ),
    Case(
        "Use elimination to solve 4x - 3y = 5 and 2x + 5y = 9",
        "simultaneous_equations",
        {"a1": 4, "b1": -3, "c1": 5, "a2": 2, "b2": 5, "c2": 9},
    ),
    Case(
        "Where do the lines y = 2x + 1 and y = -x + 4 intersect?",
        "simultaneous_equations",
        {"a1": -2, "b1": 1, "c1": 1, "a2": 1, "b2": 1, "c2": 4},
    ),
    Case(
        "system of equations: x + y = 10; x - y = 4",
        "simultaneous_equations",
        {"a1": 1, "b1": 1, "c1": 10, "a2": 1, "b2": -1, "c2": 4},
    ),
    Case("Show how to solve simultaneous equations graphically", "simultaneous_equations", {}),
    # ---------------------------------------------------------------- inequality_number_line
    Case(
        "Solve the inequality 3x - 4 < 8 and show it on a number line",
        "inequality_number_line",
        {"inequality": "3*x - 4 < 8"},
    ),
    Case(
        "show -2 ≤ x < 5 on a number line", "inequality_number_line", {"inequality": "-2 <= x < 5"}
    ),
    Case("solve 5 - 2x ≥ 11", "inequality_number_line", {"inequality": "5 - 2*x >= 11"}),
    Case(
        "Inequalities: solve 2(x + 1) > 4x - 6 and mark it with an open or closed circle",
        "inequality_number_line",
        {"inequality": "2*(x + 1) > 4*x - 6"},
    ),
    Case(
        "x is greater than or equal to 3, on a number line",
        "inequality_number_line",
        {"inequality": "x >= 3"},
    ),
    Case(
        "why does the inequality sign flip when you divide by a negative? use -3x < 12",
        "inequality_number_line",
        {"inequality": "-3*x < 12"},
    ),
    # ---------------------------------------------------------------- exponential_growth_decay
    Case(
        "a population of 100 doubling every 3 years",
        "exponential_growth_decay",
        {"initial": 100, "factor": 2, "every": 3, "time_unit": "years"},
    ),
    Case(
        "half-life of 5 years starting at 80 g",
        "exponential_growth_decay",
        {"initial": 80, "factor": 0.5, "every": 5, "time_unit": "years", "unit": "g"},
    ),
    Case(
        "exponential decay y = 80 * 0.5^(t/5)",
        "exponential_growth_decay",
        {"initial": 80, "factor": 0.5, "every": 5},
    ),
    Case(
        "Bacteria triple every 2 hours, starting with 50 bacteria",
        "exponential_growth_decay",
        {"initial": 50, "factor": 3, "every": 2, "time_unit": "hours", "unit": "bacteria"},
    ),
    Case(
        "Savings grow by 5% per year starting at 1000: exponential growth",
        "exponential_growth_decay",
        {"initial": 1000, "factor": 1.05, "every": 1, "time_unit": "years"},
    ),
    Case(
        "radioactive decay with a half-life of 8 days",
        "exponential_growth_decay",
        {"factor": 0.5, "every": 8, "time_unit": "days"},
    ),
    # ---------------------------------------------------------------- similar_triangles
    Case(
        "Similar triangles with sides 3, 4, 5 and scale factor 2: find the missing side",
        "similar_triangles",
        {"sides": [3, 4, 5], "scale": 2, "missing": 2},
    ),
    Case(
        "triangles 6, 8, 10 and 9, x, 15 are similar: find x",
        "similar_triangles",
        {"sides": [6, 8, 10], "scale": 1.5, "missing": 2},
    ),
    Case(
        "enlarge a 5-7-9 triangle by scale factor 0.5 and find the first side",
        "similar_triangles",
        {"sides": [5, 7, 9], "scale": 0.5, "missing": 1},
    ),
    Case(
        "corresponding sides of similar triangles 4, 4, 6 and 12, ?, 18",
        "similar_triangles",
        {"sides": [4, 4, 6], "scale": 3, "missing": 2},
    ),
    Case(
        "Explain similar triangles and the scale factor",
        "similar_triangles",
        {},
    ),  # ---------------------------------------------------------------- normal_distribution
    Case(
        "Normal distribution with mean 65 and standard deviation 5",
        "normal_distribution",
        {"mean": 65, "sd": 5},
    ),
    Case(
        "bell curve with μ = 0 and σ = 1, shade within 2 standard deviations",
        "normal_distribution",
        {"mean": 0, "sd": 1, "k": 2},
    ),
    Case(
        "exam marks are normally distributed with mean 60 and SD 12: what percentage lies "
        "within 1 standard deviation?",
        "normal_distribution",
        {"mean": 60, "sd": 12, "k": 1, "label": "Exam marks"},
    ),
    Case("explain the 68-95-99.7 rule", "normal_distribution", {}),
    # ---------------------------------------------------------------- complex_numbers
    Case(
        "plot 4 - 3i on an Argand diagram with its modulus and argument",
        "complex_numbers",
        {"a": 4, "b": -3, "operation": "point"},
    ),
    Case(
        "multiply 3 + i by 2i on the complex plane",
        "complex_numbers",
        {"a": 3, "b": 1, "c": 0, "d": 2, "operation": "multiply"},
    ),
    Case(
        "add complex numbers 1 + 2i and 3 - i",
        "complex_numbers",
        {"a": 1, "b": 2, "c": 3, "d": -1, "operation": "add"},
    ),
    # ---------------------------------------------------------------- forces_free_body
    Case(
        "free-body diagram: weight 20 N down, normal force 20 N up, push 15 N right, friction "
        "5 N left",
        "forces_free_body",
        {"magnitudes": [20, 20, 15, 5], "directions": [270, 90, 0, 180]},
    ),
    Case(
        "find the resultant of 3 N north and 4 N east",
        "forces_free_body",
        {"magnitudes": [3, 4], "directions": [90, 0]},
    ),
    Case(
        "a 2 kg block on an inclined plane at 40 degrees: resolve its weight",
        "forces_free_body",
        {"mode": "incline", "mass": 2, "angle": 40},
    ),
    Case(
        "forces on a box sliding down a ramp at 20°",
        "forces_free_body",
        {"mode": "incline", "angle": 20},
    ),
    # ---------------------------------------------------------------- wave_interference
    Case(
        "two coherent sources 2 m apart with wavelength 0.8 m: show the interference pattern",
        "wave_interference",
        {"separation": 2, "wavelength": 0.8, "unit": "m"},
    ),
    Case(
        "path difference for constructive and destructive interference",
        "wave_interference",
        {},
    ),
    Case(
        "Young's double slit with slit separation 3 mm, wavelength 1 mm and screen 9 mm away",
        "wave_interference",
        {"separation": 3, "wavelength": 1, "distance": 9, "unit": "mm"},
    ),
    # ---------------------------------------------------------------- circular_orbit
    Case(
        "a satellite orbiting the Earth at a radius of 10,000 km: speed and period",
        "circular_orbit",
        {"central": "Earth", "radius": 10000},
    ),
    Case(
        "circular orbit of Mars around the Sun at 1.52 AU",
        "circular_orbit",
        {"orbiter": "Mars", "central": "Sun", "radius": 1.52 * 1.496e8},
    ),
    Case(
        "use v = sqrt(GM/r) for a moon orbiting Jupiter at 670,900 km",
        "circular_orbit",
        {"central": "Jupiter", "mass": 1.898e27, "radius": 670900},
    ),
    # ---------------------------------------------------------------- dijkstra_shortest_path
    Case(
        "Dijkstra from A to D: A-B 1, B-C 2, C-D 1, A-D 6",
        "dijkstra_shortest_path",
        {"edges": ["A-B 1", "B-C 2", "C-D 1", "A-D 6"], "start": "A", "end": "D"},
    ),
    Case(
        "show the shortest path algorithm on a weighted graph step by step",
        "dijkstra_shortest_path",
        {"start": "A", "end": "F"},
    ),
    Case(
        "run Dijkstra's algorithm starting at node C",
        "dijkstra_shortest_path",
        {"start": "C"},
    ),
    # ---------------------------------------------------------------- logarithms
    Case(
        "Solve 2^x = 8 with logarithms and show the log graph",
        "logarithms",
        {"base": 2, "value": 8},
    ),
    Case("solve 3^x = 81 using logs", "logarithms", {"base": 3, "value": 81}),
    Case("what is log base 2 of 32?", "logarithms", {"base": 2, "value": 32}),
    Case("find x when 5^x = 40", "logarithms", {"base": 5, "value": 40}),
    Case("explain ln(20) on the natural log graph", "logarithms", {"base": math.e, "value": 20}),
    # ---------------------------------------------------------------- circle_theorems
    Case(
        "circle theorem: angle at the centre is 100 degrees, find the angle at the circumference",
        "circle_theorems",
        {"theorem": "centre", "angle": 50},
    ),
    Case(
        "show that angles in the same segment are equal, using 35°",
        "circle_theorems",
        {"theorem": "same_segment", "angle": 35},
    ),
    Case(
        "why is the angle in a semicircle 90 degrees? use an angle of 25° at A",
        "circle_theorems",
        {"theorem": "semicircle", "angle": 25},
    ),
    Case("circle theorems for year 10", "circle_theorems", {}),
    # ---------------------------------------------------------------- graph_transformations
    Case(
        "show y = f(x) + 2 where f(x) = x^2",
        "graph_transformations",
        {"kind": "up", "amount": 2, "expression": "x**2"},
    ),
    Case(
        "translate the graph of y = x^3 left by 2",
        "graph_transformations",
        {"kind": "left", "amount": 2, "expression": "x**3"},
    ),
    Case(
        "stretch y = sin(x) vertically by scale factor 3",
        "graph_transformations",
        {"kind": "stretch_y", "amount": 3, "expression": "sin(x)"},
    ),
    Case(
        "reflect y = x^2 - 4x in the x-axis",
        "graph_transformations",
        {"kind": "reflect_x", "expression": "x**2 - 4*x"},
    ),
    Case(
        "graph transformations: f(x - 3) for f(x) = x^2",
        "graph_transformations",
        {"kind": "left", "amount": -3, "expression": "x**2"},
    ),
    # ---------------------------------------------------------------- trig_graphs
    Case("graph y = 3sin(2x)", "trig_graphs", {"function": "sin", "amplitude": 3, "period": 180}),
    Case(
        "cosine graph with amplitude 2 and period 720",
        "trig_graphs",
        {"function": "cos", "amplitude": 2, "period": 720},
    ),
    Case(
        "draw y = cos(x - 45) and show the phase shift",
        "trig_graphs",
        {"function": "cos", "amplitude": 1, "period": 360, "phase": 45},
    ),
    Case("the graph of tan x", "trig_graphs", {"function": "tan"}),
    Case(
        "sine wave y = 0.5 sin(x + 90)",
        "trig_graphs",
        {"function": "sin", "amplitude": 0.5, "phase": -90},
    ),
    # ---------------------------------------------------------------- probability_tree
    Case(
        "tree diagram: P(rain) = 0.4, P(late given rain) = 0.7, P(late given no rain) = 0.1",
        "probability_tree",
        {"p_first": 0.4, "p_second": [0.7, 0.1]},
    ),
    Case(
        "a bag has 4 red and 6 blue balls; two are taken without replacement. draw the "
        "probability tree",
        "probability_tree",
        {"first": ["Red", "Blue"], "p_first": 0.4, "p_second": [1 / 3, 4 / 9]},
    ),
    Case(
        "probability tree for flipping two coins",
        "probability_tree",
        {"first": ["Heads", "Tails"], "p_first": 0.5},
    ),
    Case(
        "the probability of passing the theory test is 0.8 and the probability of passing the "
        "practical is 0.6: tree diagram",
        "probability_tree",
        {"p_first": 0.8, "p_second": [0.6, 0.6]},
    ),
    Case(
        "probability tree with 3 green and 2 yellow counters, picked with replacement",
        "probability_tree",
        {"first": ["Green", "Yellow"], "p_first": 0.6, "p_second": [0.6, 0.6]},
    ),
    # ---------------------------------------------------------------- histogram_box_plot
    Case(
        "draw a box plot of 4, 7, 9, 10, 12, 15, 18, 21",
        "histogram_box_plot",
        {"data": [4, 7, 9, 10, 12, 15, 18, 21]},
    ),
    Case(
        "histogram of heights 150, 152, 160, 171, 165, 158 cm with classes 150-160, 160-170, "
        "170-180",
        "histogram_box_plot",
        {"data": [150, 152, 160, 171, 165, 158], "boundaries": [150, 160, 170, 180]},
    ),
    Case(
        "find the quartiles and interquartile range of 12, 15, 11, 19, 22, 25, 30",
        "histogram_box_plot",
        {"data": [12, 15, 11, 19, 22, 25, 30]},
    ),
    Case(
        "frequency density histogram for 2, 3, 5, 8, 13, 21, 34 with class width 10",
        "histogram_box_plot",
        {"data": [2, 3, 5, 8, 13, 21, 34], "boundaries": [0, 10, 20, 30, 40]},
    ),
    Case(
        "box and whisker plot of the marks 45, 52, 60, 61, 70, 75, 88, 90, 93",
        "histogram_box_plot",
        {"data": [45, 52, 60, 61, 70, 75, 88, 90, 93], "quantity": "Marks"},
    ),
]

# Prompts no template covers: the planner must refuse them with suggestions.
OUT_OF_SCOPE: list[str] = [
    "Explain the causes of the French Revolution",
    "Write a poem about autumn leaves",
    "asdkjh qwe zzzz plorp",
    "What is the capital of Peru?",
    "Tell me about photosynthesis",
    "Describe the plot of Hamlet",
    "How does a car engine work?",
    "Animate the life cycle of a butterfly",
    "Make a video about World War II",
    "Who painted the Mona Lisa?",
    "Translate 'good morning' into French",
    "Draw a cat playing the piano",
    "Explain how vaccines train the immune system",
    "What's the weather like tomorrow?",
    "the history of the Roman Empire",
    "Explain the difference between weather and climate",
    "What causes earthquakes?",
    "Plot the rise of the Roman Empire",
    "Draw a map of Europe",
    "How do I bake bread?",
    "Show a timeline of the Tudor kings",
    "Explain Newton's third law",
    "Animate the water cycle",
    # held-out round
    "Explain supply and demand",
    "What is the meaning of life?",
    "Write me a story about a dragon",
    "Compare the economies of France and Germany",
    "Animate mitosis",
    "Explain how a bill becomes law",
    "Draw a portrait of Einstein",
]
