"""Speech for narrated videos: engines behind one interface, captions and the audio mix.

Speech runs in the worker, outside the scene sandbox, on text only (app/speech/text.py cleans
and caps it first). An engine is loaded once per worker process (`get_engine`), not per job.
"""

from app.speech.engine import Speech, SpeechEngine, SpeechError, WordTiming
from app.speech.registry import get_engine

__all__ = ["Speech", "SpeechEngine", "SpeechError", "WordTiming", "get_engine"]
