"""Breadth-first or depth-first search on a small graph, with the queue or stack shown live."""

from __future__ import annotations

from app.generators.offline import codegen
from app.generators.offline import params as checks
from app.generators.offline.codegen import fill
from app.generators.offline.controls import Choice
from app.generators.offline.extract import Prompt

ID = "graph_traversal"
TITLE = "Graph traversal (BFS / DFS)"
SUBJECT = "CS"
EXAMPLE_PROMPT = "Show breadth-first search on a graph"
DEFAULTS = {"algorithm": "bfs"}
VARIANTS = [{"algorithm": "dfs"}, {"algorithm": "bfs"}]
TRIGGERS = {
    r"\bbfs\b|\bdfs\b": 9,
    r"\bbreadth[- ]first\b|\bdepth[- ]first\b": 9,
    r"\btravers\w*": 5,
    r"\bgraph search\b|\bsearch(?:ing)? (?:a|the) graph\b": 5,
    r"\bnodes?\b|\bvertices\b|\bvertex\b|\bedges?\b": 2,
    r"\bqueue\b|\bstack\b": 1,
}
ALGORITHMS = ["bfs", "dfs"]
ALIASES = {
    "breadth-first": "bfs",
    "breadth first": "bfs",
    "depth-first": "dfs",
    "depth first": "dfs",
}

# The graph every render uses: an adjacency list (neighbours in alphabetical order).
GRAPH = {
    "A": ["B", "C"],
    "B": ["A", "D", "E"],
    "C": ["A", "F", "G"],
    "D": ["B"],
    "E": ["B", "H"],
    "F": ["C", "H"],
    "G": ["C"],
    "H": ["E", "F"],
}


def extract(prompt: Prompt) -> dict:
    if prompt.has(r"\bdfs\b|\bdepth[- ]first\b"):
        return {"algorithm": "dfs"}
    if prompt.has(r"\bbfs\b|\bbreadth[- ]first\b"):
        return {"algorithm": "bfs"}
    return {}


CONTROLS = {
    "algorithm": Choice("Search order", tuple(ALGORITHMS), labels=("Breadth-first", "Depth-first")),
}


def validate(params: dict, notes: list[str]) -> dict:
    params["algorithm"] = checks.choice(params["algorithm"], "algorithm", ALGORITHMS, ALIASES)
    return params


SKELETON = """\
from manim import *

graph = {
    "A": ["B", "C"],
    "B": ["A", "D", "E"],
    "C": ["A", "F", "G"],
    "D": ["B"],
    "E": ["B", "H"],
    "F": ["C", "H"],
    "G": ["C"],
    "H": ["E", "F"],
}
positions = {
    "A": [-2.6, 2.0],
    "B": [-4.4, 0.6],
    "C": [-0.8, 0.6],
    "D": [-5.6, -1.0],
    "E": [-3.3, -1.0],
    "F": [-1.7, -1.0],
    "G": [0.3, -1.0],
    "H": [-2.5, -2.6],
}
algorithm = "<<algorithm>>"  # "bfs" or "dfs"


def traverse(graph, start, algorithm):
    # BFS takes the oldest node waiting (a queue); DFS takes the newest (a stack).
    # Returns the visits as (node, the node it was reached from, what is waiting after it).
    waiting = [(start, None)]
    visited = set()
    visits = []
    while waiting:
        node, parent = waiting.pop(0) if algorithm == "bfs" else waiting.pop()
        if node in visited:
            continue
        visited.add(node)
        neighbours = [n for n in graph[node] if n not in visited]
        if algorithm == "dfs":
            neighbours.reverse()  # so the alphabetically first neighbour comes off the stack first
        for neighbour in neighbours:
            if algorithm == "dfs" or all(neighbour != w for w, _ in waiting):
                waiting.append((neighbour, node))
        still_waiting = [w for w, _ in waiting if w not in visited]
        if algorithm == "dfs":
            still_waiting.reverse()  # show the top of the stack first
        visits.append((node, parent, list(dict.fromkeys(still_waiting))))
    return visits


class GraphTraversal(Scene):
    def construct(self):
<<fit_frame>>
        visits = traverse(graph, "A", algorithm)
        name = "Breadth-first search" if algorithm == "bfs" else "Depth-first search"
        holder = "queue" if algorithm == "bfs" else "stack"

        # Title
        title = Text(name, font_size=40)
        fit_title(self, title).to_edge(UP, buff=0.4)
        self.play(Write(title), run_time=1)

        # The graph: circles for nodes, lines for edges
        def point(node):
            return at(network, *positions[node])

        edges = {}
        for node, neighbours in graph.items():
            for neighbour in neighbours:
                key = tuple(sorted((node, neighbour)))
                if key not in edges:
                    edges[key] = Line(point(node), point(neighbour), color=MUTED, stroke_width=3)
        nodes = {}
        for node in graph:
            circle = Circle(radius=0.38, color=TEXT).set_fill(BACKGROUND, opacity=1)
            nodes[node] = put(VGroup(circle, Text(node, font_size=30)), network, *positions[node])
        self.play(*[Create(edge) for edge in edges.values()], run_time=1.2)
        self.play(*[FadeIn(node) for node in nodes.values()], run_time=1)

        # The panel: what is waiting in the queue/stack, and the visit order so far
        panel_x = 4.3
        first = "front first" if algorithm == "bfs" else "top first"
        holder_title = Text(f"{holder} ({first})", font_size=28, color=HIGHLIGHT)
        put(holder_title, panel, panel_x, 2.0)
        order_title = Text("visit order", font_size=28, color=POSITIVE)
        put(order_title, panel, panel_x, -0.4)
        holder_text = scaled(Text("A", font_size=30), panel).next_to(holder_title, DOWN, buff=0.3)
        order_text = scaled(Text(" ", font_size=30), panel).next_to(order_title, DOWN, buff=0.3)
        explain = Text(
            "takes the OLDEST waiting node"
            if algorithm == "bfs"
            else "takes the NEWEST waiting node",
            font_size=22,
            color=MUTED,
        )
        scaled(explain, panel).next_to(holder_text, DOWN, buff=0.3)
        self.play(
            FadeIn(holder_title),
            FadeIn(holder_text),
            FadeIn(order_title),
            FadeIn(explain),
            run_time=1,
        )

        # Visit the nodes one at a time: a visited node is filled and numbered in visit order
        order = []
        for step, (node, parent, waiting) in enumerate(visits, start=1):
            order.append(node)
            animations = [nodes[node][0].animate.set_fill(POSITIVE, opacity=0.6)]
            if parent is not None:
                edge = edges[tuple(sorted((node, parent)))]
                animations.append(edge.animate.set_stroke(POSITIVE, width=7))
            new_holder = Text("  ".join(waiting) if waiting else "(empty)", font_size=30)
            scaled(new_holder, panel).next_to(holder_title, DOWN, buff=0.3)
            new_order = Text("  ".join(order), font_size=30)
            scaled(new_order, panel).next_to(order_title, DOWN, buff=0.3)
            number = Text(str(step), font_size=22, color=HIGHLIGHT)
            scaled(number, network).next_to(nodes[node], UR, buff=0.02)
            animations += [
                Transform(holder_text, new_holder),
                Transform(order_text, new_order),
                FadeIn(number),
            ]
            self.play(*animations, run_time=1)
            self.wait(0.2)
        self.wait(2)
"""


def traverse(algorithm: str, start: str = "A") -> list[str]:
    """Reference visit order (tests compare it with the emitted code's)."""
    if algorithm == "bfs":
        order, queue, seen = [], [start], {start}
        while queue:
            node = queue.pop(0)
            order.append(node)
            for neighbour in GRAPH[node]:
                if neighbour not in seen:
                    seen.add(neighbour)
                    queue.append(neighbour)
        return order
    order, seen = [], set()

    def visit(node: str) -> None:
        seen.add(node)
        order.append(node)
        for neighbour in GRAPH[node]:
            if neighbour not in seen:
                visit(neighbour)

    visit(start)
    return order


def visits(algorithm: str, start: str = "A") -> list[tuple[str, str | None, list[str]]]:
    """The emitted traverse(graph, start, algorithm) on the host: each visit as (node, the node
    it was reached from, what the panel shows waiting after it)."""
    waiting: list[tuple[str, str | None]] = [(start, None)]
    visited: set[str] = set()
    result = []
    while waiting:
        node, parent = waiting.pop(0) if algorithm == "bfs" else waiting.pop()
        if node in visited:
            continue
        visited.add(node)
        neighbours = [n for n in GRAPH[node] if n not in visited]
        if algorithm == "dfs":
            neighbours.reverse()
        for neighbour in neighbours:
            if algorithm == "dfs" or all(neighbour != w for w, _ in waiting):
                waiting.append((neighbour, node))
        still_waiting = [w for w, _ in waiting if w not in visited]
        if algorithm == "dfs":
            still_waiting.reverse()
        result.append((node, parent, list(dict.fromkeys(still_waiting))))
    return result


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def describe(params: dict) -> list[str]:
    algorithm = params["algorithm"]
    bfs = algorithm == "bfs"
    holder = "queue" if bfs else "stack"
    joins = [
        f"{node} to {_and(later)}"
        for node, neighbours in GRAPH.items()
        if (later := [n for n in neighbours if n > node])
    ]
    sentences = [
        f"The title reads: {'Breadth-first search' if bfs else 'Depth-first search'}.",
        f"A graph of {len(GRAPH)} nodes, {min(GRAPH)} to {max(GRAPH)}, appears; "
        f"edges join {_and(joins)}.",
        f"A panel shows the {holder} ({'front first' if bfs else 'top first'}), holding A, "
        f"and the visit order; the search takes the {'oldest' if bfs else 'newest'} waiting "
        "node.",
    ]
    sentences.append(
        "Each visit fills in the node, numbers it and marks the edge it was reached along."
    )
    steps = visits(algorithm)
    for step, (node, parent, waiting) in enumerate(steps, start=1):
        reached = "the start" if parent is None else f"reached from {parent}"
        holds = f"holds {', '.join(waiting)}" if waiting else "is empty"
        sentences.append(f"Visit {step}: {node}, {reached}; the {holder} {holds}.")
    order = [node for node, _, _ in steps]
    sentences.append(f"The visit order reads {', '.join(order)}.")
    return sentences


def build(params: dict) -> str:
    return fill(
        SKELETON,
        fit_frame=codegen.arrange_parts(
            {"network": (-6.1, -3.1, 0.8, 2.5), "panel": (2.0, -1.4, 6.6, 2.3)}
        ),
        algorithm=params["algorithm"],
    )


def narration(params: dict) -> list[str]:
    bfs = params["algorithm"] == "bfs"
    holder = "queue" if bfs else "stack"
    order = [node for node, _, _ in visits(params["algorithm"])]
    return [
        "Breadth-first search." if bfs else "Depth-first search.",
        f"Here is a graph of {len(GRAPH)} nodes, {min(GRAPH)} to {max(GRAPH)}, joined by edges.",
        f"The panel shows the {holder} of nodes waiting to be visited. The search always takes "
        f"the {'oldest' if bfs else 'newest'} one, starting from A.",
        f"Visit the nodes one at a time, in this order: {_and(order)}.",
    ]
