"""Gallery search: what misspelt, stemmed and prefix queries find, and how fast, against the
ILIKE scan the gallery used before (app/search.py, migration 0007).

One teacher's library of named videos (the ones the queries aim at) among N filler videos
(default 2000) of the same teacher, made from the template catalogue, plus a colleague's
private video that must never show. Each query runs through `gallery.list_videos`, as the page
runs it; the baseline is the old `title ILIKE %q% OR prompt ILIKE %q%` on the same data, in
the same run. SQLite by default; `--postgresql URL` runs it in a throwaway schema there.
Prints one JSON object: per query its top titles, whether near spellings were used, and the
median milliseconds of each way, with their ratio.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, insert, or_, pool, select  # noqa: E402

from app import gallery  # noqa: E402
from app.accounts.users import get_or_create_user  # noqa: E402
from app.db.engine import dispose_engines, get_engine, session_scope  # noqa: E402
from app.db.migrate import upgrade  # noqa: E402
from app.db.models import Job, Video, utcnow  # noqa: E402
from app.generators.offline.catalogue import registry  # noqa: E402
from app.settings import Settings  # noqa: E402

LIBRARY = [
    # title, prompt, template
    ("Pythagorean theorem", "squares on the sides of a right angle", "pythagorean_theorem"),
    ("Simple pendulum", "a weight swinging on a string", "pendulum"),
    ("Derivative of x squared", "slope of the tangent to y = x^2", "derivative_tangent"),
    ("Area under a curve", "definite integral of sin x from 0 to pi", "integral_area"),
    ("Bubble sort", "put five numbers in order, two at a time", "sorting_algorithm"),
    ("Angles of triangles", "the angles add up to 180 degrees", "triangle_angle_sum"),
    ("Coin flips", "heads or tails, a hundred times", "probability_coin_flips"),
]
QUERIES = [
    "pythagoras",
    "pythagorus",
    "pendulums",
    "pendulm",
    "derivitive",
    "intergral",
    "integrals",
    "sorting",
    "sort",
    "triangles",
    "triangle",
    "probabilty",
    "physics",
    "pyth",
    "tangent slop",
    "the pendulum",
    "paper folding",
    "xylophone",
]
FILLER_WORDS = [
    "show",
    "explain",
    "animate",
    "compare",
    "draw",
    "label",
    "step",
    "slowly",
    "colour",
    "grid",
    "axes",
]


def seed(settings: Settings, fillers: int) -> None:
    templates = [t for t in registry().values() if t.id not in {row[2] for row in LIBRARY}]
    rng = random.Random(17)
    rows = list(LIBRARY)
    for number in range(fillers):
        template = rng.choice(templates)
        words = " ".join(rng.sample(FILLER_WORDS, 4))
        rows.append(
            (f"{template.title} {number}", f"{words} {template.example_prompt}", template.id)
        )
    with session_scope(settings) as session:
        teacher = get_or_create_user(session, "teacher")
        colleague = get_or_create_user(session, "colleague")
        session.flush()
        mine = [(teacher.id, *row) for row in rows]
        theirs = [
            (colleague.id, "Pythagoras by paper folding", "fold a square", "pythagorean_theorem")
        ]
        jobs, videos = [], []
        for number, (owner_id, title, prompt, template) in enumerate(mine + theirs):
            job_id = f"bench{number:027d}"
            moment = utcnow()
            jobs.append(
                {
                    "id": job_id,
                    "owner_id": owner_id,
                    "prompt": prompt,
                    "generator": "offline",
                    "template": template,
                    "state": "succeeded",
                    "created_at": moment,
                }
            )
            videos.append(
                {
                    "job_id": job_id,
                    "owner_id": owner_id,
                    "title": title,
                    "storage_key": f"videos/{job_id}.mp4",
                    "thumbnail_key": f"videos/{job_id}.png",
                    "created_at": moment,
                }
            )
        # Core executemany: column defaults apply, the search triggers fire per row.
        session.execute(insert(Job), jobs)
        session.execute(insert(Video), videos)
    with get_engine(settings).begin() as connection:
        connection.exec_driver_sql("ANALYZE")  # as autovacuum would after a bulk load


def median_ms(run, repeats: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def like_scan(settings: Settings, owner_id: int, query: str) -> list[str]:
    """The gallery's search before app/search.py: a substring scan of titles and prompts."""
    pattern = f"%{query}%"
    with session_scope(settings) as session:
        return list(
            session.scalars(
                select(Video.title)
                .join(Job, Job.id == Video.job_id)
                .where(
                    Video.owner_id == owner_id,
                    or_(Video.title.ilike(pattern), Job.prompt.ilike(pattern)),
                )
                .order_by(Video.created_at.desc())
                .limit(5)
            )
        )


def measure(settings: Settings, fillers: int, repeats: int) -> dict[str, object]:
    upgrade(settings)
    seed(settings, fillers)
    with session_scope(settings) as session:
        owner_id = get_or_create_user(session, "teacher").id
        videos = session.scalar(select(func.count()).select_from(Video))
    results = []
    for query in QUERIES:
        filters = gallery.VideoFilters(text=query)

        def search(filters: gallery.VideoFilters = filters) -> gallery.VideoPage:
            return gallery.list_videos(
                settings=settings, owner_id=owner_id, filters=filters, per_page=5
            )

        page = search()
        search_ms = median_ms(search, repeats)
        like_ms = median_ms(lambda query=query: like_scan(settings, owner_id, query), repeats)
        results.append(
            {
                "query": query,
                "top": [item.title for item in page.items[:3]],
                "total": page.total,
                "near_spellings": page.near_spellings,
                "like_scan_found": len(like_scan(settings, owner_id, query)),
                "search_ms": round(search_ms, 2),
                "like_scan_ms": round(like_ms, 2),
                "ratio": round(search_ms / like_ms, 2) if like_ms else None,
            }
        )
    return {"videos": videos, "queries": results}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fillers", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--postgresql", help="server URL; a throwaway schema is made there")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp) / "data")
        if not args.postgresql:
            settings = settings.model_copy(
                update={"database_url": f"sqlite:///{Path(tmp) / 'chalk.db'}"}
            )
            report = {"backend": "sqlite", **measure(settings, args.fillers, args.repeats)}
            dispose_engines()
        else:
            schema = f"bench_{uuid.uuid4().hex[:12]}"
            admin = create_engine(
                args.postgresql.replace("postgresql://", "postgresql+psycopg://", 1),
                poolclass=pool.NullPool,
            )
            with admin.begin() as connection:
                connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
            separator = "&" if "?" in args.postgresql else "?"
            url = f"{args.postgresql}{separator}options=-csearch_path%3D{schema}"
            try:
                settings = settings.model_copy(update={"database_url": url})
                report = {"backend": "postgresql", **measure(settings, args.fillers, args.repeats)}
            finally:
                dispose_engines()
                with admin.begin() as connection:
                    connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
                admin.dispose()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
