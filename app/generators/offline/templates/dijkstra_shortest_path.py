"""Dijkstra's shortest path: a weighted graph, a table of the best known distances updated as
each closest unvisited node is visited, and the shortest path traced back at the end."""

from __future__ import annotations

import re

from app.generators.offline import controls
from app.generators.offline import params as checks
from app.generators.offline.codegen import block_literal, fill, literal, show
from app.generators.offline.extract import NUM, Prompt
from app.generators.offline.templates.common import Spoken, say_list

ID = "dijkstra_shortest_path"
TITLE = "Dijkstra's shortest path"
SUBJECT = "CS"
EXAMPLE_PROMPT = "Dijkstra's algorithm: find the shortest path from A to F, step by step"
DEFAULTS = {
    "edges": [
        "A-B 4", "A-C 2", "B-C 1", "B-D 5", "C-D 8", "C-E 10", "D-E 2", "D-F 6", "E-F 3",
    ],
    "start": "A",
    "end": "F",
}  # fmt: skip
VARIANTS = [
    {"edges": ["S-A 7", "S-B 2", "A-B 3", "A-T 1", "B-T 8"], "start": "S", "end": "T"},
    {"edges": DEFAULTS["edges"], "start": "B", "end": "F"},
    {
        "edges": ["P-Q 3", "Q-R 4", "P-R 9", "R-S 2.5", "Q-S 7", "S-T 1", "R-U 6", "T-U 2"],
        "start": "P",
        "end": "U",
    },
    {"edges": ["Home-Park 2", "Park-School 3", "Home-School 6"], "start": "Home", "end": "School"},
]
TRIGGERS = {
    r"\bdijkstra'?s?\b": 9,
    r"\bshortest (?:path|route|distance)s?\b|\bleast[- ]cost\b|\bcheapest (?:path|route)\b": 6,
    r"\bweighted (?:graph|network|edges?)\b": 5,
    r"\bnodes?\b|\bvertices\b|\bvertex\b|\bedges?\b|\bgraph\b|\bnetwork\b": 1,
    r"\bdistance table\b|\bweights?\b": 2,
}
MAX_NODES = 8
MAX_EDGES = 14
WEIGHT = (0.0, 999.0)
NAME = re.compile(r"[A-Za-z][A-Za-z0-9]{0,9}")
EDGE_TEXT = 24
CONTROLS = {
    "edges": controls.TextList("Edges with their weights (like A-B 4)", EDGE_TEXT, 1, MAX_EDGES),
    "start": controls.Text("Start node", 10),
    "end": controls.Text("End node", 10),
}

_NODE = r"([a-z][a-z0-9]{0,9})"
_EDGE = re.compile(
    rf"\b{_NODE}\s*(?:-|–|—|to|→|->)\s*{_NODE}\s*(?:=|:|is|,|costs?|weighs?|of|with weight)?\s*"
    rf"(?<![\w.])({NUM})(?![\w.])"
)
_STOP = {"from", "to", "and", "is", "the", "path", "route", "with", "between"}


def display(name: str) -> str:
    """How a node is written: single letters in capitals, words with a capital."""
    return name.upper() if len(name) <= 2 else name[:1].upper() + name[1:]


def parse_edge(text: str) -> tuple[str, str, float]:
    found = re.fullmatch(
        rf"\s*({NAME.pattern})\s*(?:-|–|—|to|→|->)\s*({NAME.pattern})\s*"
        rf"(?:=|:|,)?\s*({NUM})\s*",
        str(text),
    )
    if not found:
        raise checks.fail(f"Write each edge as two nodes and a weight, like A-B 4, not '{text}'.")
    return found.group(1), found.group(2), float(found.group(3))


def extract(prompt: Prompt) -> dict:
    """Each edge as two nodes and a weight ("A-B 4", "S-A=7", "P to Q is 3 km"), the start
    and end ("from A to E", "between P and R", "starting at B")."""
    text = prompt.text
    params: dict = {}
    edges = [
        (display(a), display(b), float(w))
        for a, b, w in _EDGE.findall(text)
        if a not in _STOP and b not in _STOP and a != b
    ]
    if edges:
        params["edges"] = [f"{a}-{b} {show(w)}" for a, b, w in edges]
    known = (
        {name for a, b, _ in edges for name in (a, b)}
        if edges
        else {name for edge in DEFAULTS["edges"] for name in parse_edge(edge)[:2]}
    )
    pair = re.search(
        rf"\bfrom (?:node |town )?{_NODE} to (?:node |town )?{_NODE}\b|\bbetween (?:the )?"
        rf"(?:nodes? |towns? |vertices |vertex |routers? )?{_NODE} and "
        rf"(?:node |town |vertex |router )?"
        rf"{_NODE}\b",
        text,
    )
    if pair:
        start, end = (g for g in pair.groups() if g is not None)
        if display(start) in known and display(end) in known:
            params["start"], params["end"] = display(start), display(end)
    if "start" not in params:
        begin = re.search(rf"\bstart(?:ing|s)? (?:at|from) (?:node |vertex )?{_NODE}\b", text)
        if begin and display(begin.group(1)) in known:
            params["start"] = display(begin.group(1))
        finish = re.search(rf"\b(?:end(?:ing|s)? at|to reach|ending) (?:node )?{_NODE}\b", text)
        if finish and display(finish.group(1)) in known:
            params["end"] = display(finish.group(1))
    if edges and "start" not in params:
        params["start"] = edges[0][0]
    if edges and "end" not in params:
        order = list(dict.fromkeys(name for a, b, _ in edges for name in (a, b)))
        params["end"] = next(n for n in reversed(order) if n != params["start"])
    return params


def validate(params: dict, notes: list[str]) -> dict:
    texts = checks.text_list(
        params["edges"], "edges", max_length=EDGE_TEXT, min_items=1, max_items=MAX_EDGES
    )
    edges = []
    seen = set()
    for a, b, weight in map(parse_edge, texts):
        if a == b:
            raise checks.fail(f"The edge {a}-{b} joins a node to itself; join two different nodes.")
        checks.number(weight, "edges", low=WEIGHT[0], high=WEIGHT[1])
        if frozenset((a, b)) in seen:
            notes.append(f"The edge {a}-{b} was given twice; the first weight is used.")
            continue
        seen.add(frozenset((a, b)))
        edges.append((a, b, weight))
    nodes = list(dict.fromkeys(name for a, b, _ in edges for name in (a, b)))
    if len(nodes) > MAX_NODES:
        raise checks.fail(f"The graph may have at most {MAX_NODES} nodes so it stays readable.")
    params["edges"] = [f"{a}-{b} {show(w)}" for a, b, w in edges]
    for key in ("start", "end"):
        name = checks.text(params[key], key, max_length=10)
        match = {n.lower(): n for n in nodes}.get(name.lower())
        if match is None:
            raise checks.fail(
                f"The {key} node {name} is not in the graph; pick one of {', '.join(nodes)}."
            )
        params[key] = match
    if params["start"] == params["end"]:
        raise checks.fail("The start and end nodes must differ.")
    if params["end"] not in _reachable(edges, params["start"]):
        raise checks.fail(f"No edges lead from {params['start']} to {params['end']}; join them up.")
    return params


def _reachable(edges: list[tuple[str, str, float]], start: str) -> set[str]:
    found, frontier = {start}, [start]
    while frontier:
        node = frontier.pop()
        for a, b, _ in edges:
            for here, there in ((a, b), (b, a)):
                if here == node and there not in found:
                    found.add(there)
                    frontier.append(there)
    return found


SKELETON = r"""from manim import *
import numpy as np

# Each edge: (one node, the other node, its weight); the graph is undirected
edges = <<edges>>
start = <<start>>  # where the paths start
end = <<end>>  # the node whose shortest path is traced at the end

nodes = list(dict.fromkeys(name for a, b, _ in edges for name in (a, b)))


def neighbours(node):
    # (neighbour, weight) for every edge at this node
    return [(b, w) for a, b, w in edges if a == node] + [(a, w) for a, b, w in edges if b == node]


def dijkstra():
    # The best known distance to each node, the node it is reached from, the order nodes are
    # visited in, and the table's changes at each visit
    distance = {node: float("inf") for node in nodes}
    via = {node: None for node in nodes}
    distance[start] = 0
    visited, changes = [], []
    while True:
        waiting = [n for n in nodes if n not in visited and distance[n] < float("inf")]
        if not waiting:
            break
        node = min(waiting, key=lambda n: distance[n])  # the closest unvisited node
        visited.append(node)
        changed = []
        for neighbour, weight in neighbours(node):
            if neighbour not in visited and distance[node] + weight < distance[neighbour]:
                distance[neighbour] = distance[node] + weight
                via[neighbour] = node
                changed.append(neighbour)
        changes.append((node, changed, dict(distance), dict(via)))
    return distance, via, visited, changes


distance, via, visited, changes = dijkstra()
path = [end]
while path[-1] != start:  # follow "via" back from the end
    path.append(via[path[-1]])
path.reverse()


def fmt(value):
    # A number as the screen shows it: 3 -> "3", 2.5 -> "2.5", infinity -> "∞"
    if value == float("inf"):
        return "∞"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def columns():
    # Columns by how many edges a node is from the start (breadth first), left to right
    level = {start: 0}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for neighbour, _ in neighbours(node):
            if neighbour not in level:
                level[neighbour] = level[node] + 1
                queue.append(neighbour)
    last = max(level.values())
    return {node: level.get(node, last + 1) for node in nodes}


class DijkstraShortestPath(Scene):
    def construct(self):
        # The parts, built first and placed by one arrangement at the end of this block
        title = Text(f"Dijkstra's shortest path: {start} to {end}", font_size=38)
        level = columns()
        count = max(level.values()) + 1
        tallest = max(list(level.values()).count(c) for c in range(count))
        dx = min(2.2, 6.6 / max(count - 1, 1))
        dy = min(1.7, 4.6 / max(tallest - 1, 1))
        spot = {}
        for c in range(count):
            members = [n for n in nodes if level[n] == c]
            for i, node in enumerate(members):
                spot[node] = np.array([c * dx, ((len(members) - 1) / 2 - i) * dy, 0])
        lines, weights, placed = {}, VGroup(), []
        for a, b, w in edges:
            lines[(a, b)] = Line(spot[a], spot[b], color=MUTED, stroke_width=3)
            # The weight sits along its edge, where no other weight is yet
            along = next(
                (t for t in (0.5, 0.35, 0.65, 0.25, 0.75)
                 if all(np.linalg.norm(spot[a] + t * (spot[b] - spot[a]) - p) > 0.55
                        for p in placed)),
                0.5,
            )
            where = spot[a] + along * (spot[b] - spot[a])
            placed.append(where)
            label = Text(fmt(w), font_size=22)
            weights.add(VGroup(
                BackgroundRectangle(label, color=BACKGROUND, fill_opacity=1, buff=0.05), label
            ).move_to(where))
        circles = {n: Circle(radius=0.34, color=TEXT).set_fill(BACKGROUND, opacity=1)
                   for n in nodes}
        names = {n: Text(n, font_size=24 if len(n) <= 2 else 16) for n in nodes}
        dots = VGroup(*[VGroup(circles[n], names[n]).move_to(spot[n]) for n in nodes])
        dots.set_z_index(2)  # nodes stay above the edges, even the ones lit up later
        weights.set_z_index(1)
        graph = VGroup(*lines.values(), weights, dots)
        header = [Text(word, font_size=24, color=MUTED) for word in ("node", "distance", "via")]
        cells = {}
        for node in nodes:
            cells[node] = [
                Text(node, font_size=24),
                Text(fmt(0 if node == start else float("inf")), font_size=24),
                Text("-", font_size=24),
            ]
        table = VGroup()
        for row, line in enumerate([header] + [cells[n] for n in nodes]):
            for column, cell in enumerate(line):
                cell.move_to([column * 1.5, -row * 0.5, 0])
                table.add(cell)
        result = Text(
            f"Shortest path: {' → '.join(path)}, length {fmt(distance[end])}",
            font_size=30, color=HIGHLIGHT,
        )
        cell_size = 24  # the table's text size as drawn, for the values written in later
        if self.camera.frame_width >= 14.2 - 0.01:
            body = VGroup(graph, table).arrange(RIGHT, buff=1.0)
            if body.width > 13.4:
                body.scale_to_fit_width(13.4)
            VGroup(title, body, result).arrange(DOWN, buff=0.45).move_to(ORIGIN)
        else:
            # A portrait or square frame: the graph and the table stacked or side by side,
            # whichever draws them larger, with the result under them
            frame_w, frame_h = self.camera.frame_width, self.camera.frame_height
            for text in (title, result):
                text.scale_to_fit_width(min(text.width, frame_w - 0.5))
            room_w = frame_w - 0.5
            room_h = frame_h - 0.4 - title.height - 0.45 - 0.45 - result.height - 0.4
            built = table.width
            options = []
            for direction, gap in ((RIGHT, 1.0), (DOWN, 0.6)):
                body = VGroup(graph, table).arrange(direction, buff=gap)
                # 1.1 more across: the ticks right of the table, either side of the centre
                across = room_w / (body.width + 1.1)
                options.append((min(1.5, across, room_h / body.height), gap))
            scale, gap = max(options)
            body = VGroup(graph, table).arrange(RIGHT if gap == 1.0 else DOWN, buff=gap)
            body.scale(scale)
            title.to_edge(UP, buff=0.4)
            body.next_to(title, DOWN, buff=0.45)
            result.next_to(body, DOWN, buff=0.45)
            below = VGroup(body, result)  # centred in the room under the title
            below.shift(DOWN * (below.get_bottom()[1] + frame_h / 2 - 0.4) / 2)
            cell_size = 24 * table.width / built

        # Title
        self.play(Write(title), run_time=1)

        # The weighted graph
        self.play(*[Create(line) for line in lines.values()], FadeIn(weights), FadeIn(dots),
                  run_time=1.5)

        # The distance table: 0 to the start, every other node not reached yet
        self.play(FadeIn(table), circles[start].animate.set_stroke(HIGHLIGHT, width=6),
                  run_time=1)

        # Visit the closest unvisited node, and update its neighbours' distances through it
        for node, changed, best, came_from in changes:
            updates = [circles[node].animate.set_fill(POSITIVE, opacity=0.6)]
            for neighbour in changed:
                for column, value in ((1, fmt(best[neighbour])), (2, came_from[neighbour])):
                    old = cells[neighbour][column]
                    new = Text(value, font_size=cell_size).move_to(old)
                    updates.append(Transform(old, new))
            done = Text("✓", font_size=cell_size, color=POSITIVE)
            done.next_to(cells[node][2], RIGHT, buff=0.25 * cell_size / 24)
            updates.append(FadeIn(done))
            self.play(*updates, run_time=1)

        # Follow "via" back from the end: the shortest path
        on_path = [lines.get((a, b)) or lines[(b, a)] for a, b in zip(path, path[1:])]
        self.play(*[line.animate.set_stroke(HIGHLIGHT, width=8) for line in on_path],
                  Write(result), run_time=1.5)
        self.wait(2)
"""


def shortest(params: dict) -> tuple[dict[str, float], dict[str, str | None], list[str]]:
    """The emitted dijkstra(): distances, the node each is reached from, the visit order."""
    edges = [parse_edge(e) for e in params["edges"]]
    nodes = list(dict.fromkeys(name for a, b, _ in edges for name in (a, b)))
    distance = {n: float("inf") for n in nodes}
    via: dict[str, str | None] = {n: None for n in nodes}
    distance[params["start"]] = 0.0
    visited: list[str] = []
    while True:
        waiting = [n for n in nodes if n not in visited and distance[n] < float("inf")]
        if not waiting:
            break
        node = min(waiting, key=lambda n: distance[n])
        visited.append(node)
        for a, b, w in edges:
            for here, there in ((a, b), (b, a)):
                if here == node and there not in visited and distance[node] + w < distance[there]:
                    distance[there] = distance[node] + w
                    via[there] = node
    return distance, via, visited


def path_of(params: dict) -> list[str]:
    _, via, _ = shortest(params)
    path = [params["end"]]
    while path[-1] != params["start"]:
        path.append(str(via[path[-1]]))
    return path[::-1]


def describe(params: dict) -> list[str]:
    start, end = params["start"], params["end"]
    distance, via, visited = shortest(params)
    edges = [parse_edge(e) for e in params["edges"]]
    joins = [f"{a}-{b} ({show(w)})" for a, b, w in edges]
    path = path_of(params)
    table = [f"{n} {show(distance[n])} via {via[n]}" for n in visited if via[n] is not None]
    return [
        f"The title reads: Dijkstra's shortest path: {start} to {end}.",
        f"A weighted graph appears with edges {say_list(joins)}.",
        f"A table lists each node's best known distance: 0 for {start}, infinity for the rest.",
        f"Each step visits the closest unvisited node and updates its neighbours; the visits go "
        f"{', '.join(visited)}.",
        f"The final table gives {say_list(table)}.",
        f"Following the nodes back from {end}, the shortest path is {' → '.join(path)}, of "
        f"length {show(distance[end])}.",
    ]


def build(params: dict) -> str:
    edges = [parse_edge(e) for e in params["edges"]]
    return fill(
        SKELETON,
        edges=block_literal(edges, 0, len("edges = ")),
        start=literal(params["start"]),
        end=literal(params["end"]),
    )


def narration(params: dict) -> list[str | Spoken]:
    # Worked out in the scene from its input lines, like everything it shows
    return [
        "Dijkstra's shortest path algorithm.",
        Spoken(('f"Here is a graph of {len(nodes)} nodes; each edge has a weight, its length."',)),
        Spoken(
            (
                'f"The table starts with distance 0 for {start}, and infinity for every other "',
                '"node."',
            )
        ),
        Spoken(
            (
                '"Each step visits the closest unvisited node and updates its neighbours: "',
                '+ ", then ".join(visited) + "."',
            )
        ),
        Spoken(
            (
                'f"Following the via column back from {end}, the shortest path is "',
                '+ " to ".join(path) + f", of length {fmt(distance[end])}."',
            )
        ),
    ]
