"""Chalk: turn a teacher's prompt into a short, correct Manim animation."""

__version__ = "0.1.0"
