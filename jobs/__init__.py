"""RQ job entry points (tasks.py, imported by dotted path in workers) and the worker launcher
behind `chalk worker` (worker.py). The job system itself lives in app/jobs/."""
