"""Help: writing good prompts, the template catalogue, keyboard shortcuts and the FAQ."""

from __future__ import annotations

import streamlit as st

from app import events
from app.generators.offline import list_templates
from app.generators.offline.catalogue import SUBJECTS
from app.ui import frame, media
from app.ui.session import current_user, settings

frame.require_frame()

# One help_opened event per browser session (not per rerun or tab click); visitors count too.
if not st.session_state.get("help_opened_recorded"):
    reader = current_user()
    events.record("help_opened", settings=settings(), user_id=reader.id if reader else None)
    st.session_state["help_opened_recorded"] = True

st.title("Help", anchor=False)

prompts, catalogue, shortcuts, faq = st.tabs(
    ["Good prompts", "Templates", "Keyboard shortcuts", "FAQ"]
)

with prompts:
    st.markdown(
        """
**One idea per video.** "Show why the angles of a triangle add up to 180°" works better
than a whole lesson. Make several short videos instead of one long one.

**Name the maths.** Give the function, numbers or data: *"Plot y = x^2 - 4x + 3 from -1
to 5"*, *"Bubble sort 5, 1, 4, 2"*, *"A bar chart of apples 4, pears 7, plums 2"*.

**Say what should move.** *"Slide the tangent line along the curve"*, *"Approximate the
area with 6 rectangles"*, *"Fill the circle, then unroll it into a triangle"*.

**Start from a template.** The Create page lists every template by subject; pick one, then
change its numbers and words. Template prompts render offline in seconds.

**Preview first.** Preview quality is fast; when the video looks right, press *Render in
higher quality* for the classroom projector.
"""
    )

with catalogue:
    templates = list_templates()
    for subject in SUBJECTS:
        st.header(subject, anchor=False)
        for template in (t for t in templates if t.subject == subject):
            picture, words = st.columns([1, 5], vertical_alignment="center")
            picture.image(
                str(template.thumbnail), width="stretch", alt=media.template_alt(template)
            )
            words.markdown(f"**{template.title}**  \ne.g. *{template.example_prompt}*")

with shortcuts:
    st.markdown(
        """
| Keys | What it does |
|---|---|
| **Ctrl+Enter** (⌘+Enter on a Mac) in the prompt box | Generate |
| **Ctrl+Enter** in the code editor | Keep your edits (then press *Render edited code*) |
| **Esc** | Close a dialog, such as the delete confirmation |
| **R** | Reload the page's data |
"""
    )

with faq:
    questions = {
        "Why did my prompt not work?": (
            "Without an AI model, Chalk matches prompts to its templates. Mention the "
            "topic's name (derivative, Riemann sum, pendulum…) and the numbers; or start "
            "from a template on the Create page."
        ),
        "Who can see my videos?": (
            "Only you, until you choose *Anyone with the link* or *Public* under a video's "
            "*Title and sharing* in the gallery. Making it private again turns the link off."
        ),
        "How long does a video take?": (
            "A few seconds at preview quality; standard and high quality take longer. You can "
            "leave the page while it renders; the video appears in your gallery."
        ),
        "Can I change the animation?": (
            "Yes. A video made from a template lists its values under *Change the values*: "
            "move a slider, pick another option or type new numbers, and press *Render* for "
            "a new version. Any video's Manim code can also be edited under it; press "
            "*Render edited code*, and Chalk checks and renders it in a sandbox, the same way "
            "as generated code."
        ),
        "What are layout warnings?": (
            "Chalk checks the finished video for text or shapes that leave the frame or "
            "overlap; it tries to fix them itself and tells you about what remains."
        ),
        "How do I delete a video?": (
            "In the gallery, press *Delete* on its card and confirm. Its share link stops "
            "working at once."
        ),
    }
    for question, answer in questions.items():
        with st.expander(question):
            st.markdown(answer)
