"""Lessons: several scenes rendered as jobs and joined into one video with chapters."""
