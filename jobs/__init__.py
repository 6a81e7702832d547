"""RQ job entry points and the worker launcher (built with the job-system issue)."""
