Here is the animation you asked for:

```python
from manim import *


class Fenced(Scene):
    def construct(self):
        self.play(Create(Square()), run_time=1)
```

Render it with `manim -pql scene.py Fenced`.
