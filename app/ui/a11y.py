"""Accessibility pieces every page shares: a polite live region for announcements, and the
smallest fixes for gaps in Streamlit 1.67's own markup that Chalk cannot change at the source.

The style gives whatever has the keyboard focus a visible ring. What the script fixes, and why
here:
- st.toast draws a `role="alertdialog"` whose aria-labelledby names an element Streamlit never
  renders, so a screen reader announces a dialog with no name (axe rule aria-dialog-name,
  serious). The script names each such toast by its own text.
- Streamlit's widgets have no error state: `field_error(label, message)` shows the error and
  the script ties it to the field (aria-invalid, aria-describedby).
- A new error far down the page (beside the code editor) should not go unseen: `scroll_here()`
  marks it and the script scrolls it into view once.
- Streamlit has no live region for text a page wants read out without moving focus (job
  progress, a finished video). `announce(text)` puts a hidden marker on the page, and the
  script copies the newest marker's text into one `role="status" aria-live="polite"` region
  that lives outside Streamlit's tree: it survives reruns, so each change is announced once
  instead of a new region appearing (which screen readers often do not read).
"""

from __future__ import annotations

import html

import streamlit as st

LIVE_REGION_ID = "chalk-live"
"""The id of the polite live region (tests read it)."""

_STYLE = """<style>
/* The script's and the markers' element containers take no room (no gap in the layout). */
.stElementContainer:has([data-chalk-a11y]),
.stElementContainer:has([data-chalk-announce]),
.stElementContainer:has([data-chalk-error-for]),
.stElementContainer:has([data-chalk-scroll]) { display: none; }
/* Keyboard focus plain to see (WCAG 2.4.7). Streamlit marks a focused menu link with a 15 %
   tint, a text field with a 1px border colour and the main area not at all; a ring in the
   text colour reads in both themes (buttons that have Streamlit's faint ring get it too; an
   image's full-screen button has none). */
:focus-visible {
  outline: 2px solid currentColor !important;
  outline-offset: 2px;
}
input:focus-visible, textarea:focus-visible, [data-testid="stMain"]:focus-visible {
  outline-offset: -2px;
}
</style>"""

_SCRIPT = f"""<span data-chalk-a11y hidden></span>
<script>
(() => {{
  if (window.chalkA11y) return;
  window.chalkA11y = true;
  const live = document.createElement("div");
  live.id = "{LIVE_REGION_ID}";
  live.setAttribute("role", "status");
  live.setAttribute("aria-live", "polite");
  live.setAttribute("aria-atomic", "true");
  // Visually hidden, still read: the usual "sr-only" recipe.
  live.style.cssText = "position:absolute;width:1px;height:1px;padding:0;margin:-1px;" +
    "overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0;";
  document.body.appendChild(live);
  let last = "";
  const sweep = () => {{
    for (const toast of document.querySelectorAll('[data-testid="stToast"]')) {{
      const ref = toast.getAttribute("aria-labelledby");
      if (toast.hasAttribute("aria-label") || (ref && document.getElementById(ref))) continue;
      const words = toast.querySelector('[data-testid="stMarkdownContainer"]');
      toast.setAttribute("aria-label", (words && words.innerText.trim()) || "Notification");
    }}
    const markers = document.querySelectorAll("[data-chalk-announce]");
    const text = markers.length
      ? markers[markers.length - 1].getAttribute("data-chalk-announce") : "";
    if (text !== last) {{
      last = text;
      if (text) live.textContent = text;
    }}
  }};
  // Field errors: the field named by a marker gets aria-invalid and is described by the
  // error's text; once the marker is gone (the next run), the field is plain again.
  let tied = [];
  const tie = () => {{
    const wanted = [];
    for (const marker of document.querySelectorAll("[data-chalk-error-for]")) {{
      const label = marker.getAttribute("data-chalk-error-for");
      const message = marker.getAttribute("data-chalk-error");
      const field = Array.from(document.querySelectorAll("input, textarea"))
        .find(element => element.getAttribute("aria-label") === label);
      const alert = Array.from(document.querySelectorAll('[data-testid="stAlertContainer"]'))
        .find(element => element.innerText.includes(message));
      if (!field || !alert) continue;
      if (!alert.id) alert.id = "chalk-error-" + Math.random().toString(36).slice(2);
      wanted.push(field);
      if (field.getAttribute("aria-describedby") !== alert.id) {{
        field.setAttribute("aria-invalid", "true");
        field.setAttribute("aria-describedby", alert.id);
      }}
    }}
    for (const field of tied) {{
      if (!wanted.includes(field)) {{
        field.removeAttribute("aria-invalid");
        field.removeAttribute("aria-describedby");
      }}
    }}
    tied = wanted;
  }};
  // Scroll markers: what sits just before a new marker (an error beside the code editor) is
  // brought into view once per marker, even when the page grew below the fold.
  const scrolled = new Set();
  const scroll = () => {{
    for (const marker of document.querySelectorAll("[data-chalk-scroll]")) {{
      const id = marker.getAttribute("data-chalk-scroll");
      const holder = marker.closest(".stElementContainer");
      const target = holder && holder.previousElementSibling;
      if (scrolled.has(id) || !target) continue;
      scrolled.add(id);
      target.scrollIntoView({{block: "center"}});
    }}
  }};
  new MutationObserver(() => {{ sweep(); tie(); scroll(); }}).observe(document.body, {{
    subtree: true, childList: true, attributes: true,
    attributeFilter: ["data-chalk-announce", "data-chalk-error-for", "aria-labelledby",
                      "data-chalk-scroll"],
  }});
  sweep();
  tie();
  scroll();
}})();
</script>"""


def install() -> None:
    """Add the live region and the markup fixes (once per browser page; first on every run,
    so the element keeps its place and the script is not run again)."""
    st.html(_STYLE)
    st.html(_SCRIPT, unsafe_allow_javascript=True)


def field_error(label: str, message: str, icon: str = ":material/error:") -> None:
    """`st.error(message)` tied to the field labelled `label` on the page: the field gets
    aria-invalid and aria-describedby pointing at the message (Streamlit's widgets have no
    error state of their own), so a screen reader says what is wrong on the field itself."""
    st.error(message, icon=icon)
    st.html(
        f'<span hidden data-chalk-error-for="{html.escape(label, quote=True)}" '
        f'data-chalk-error="{html.escape(message, quote=True)}"></span>'
    )


def scroll_here(marker_id: str) -> None:
    """Bring the element drawn just before this call into view, once per `marker_id` (a new
    error beside the code editor, far below the prompt)."""
    st.html(f'<span hidden data-chalk-scroll="{html.escape(marker_id, quote=True)}"></span>')


def announce(text: str) -> None:
    """Have screen readers read `text` politely (when it differs from the last announcement)."""
    st.html(f'<span hidden data-chalk-announce="{html.escape(text, quote=True)}"></span>')
