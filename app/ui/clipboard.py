"""A "Copy" button that is always on screen (Streamlit's own copy affordance, on st.code, shows
only while the pointer hovers, which phones and tablets do not do).

A tiny st.components.v2 component: a real <button> in the page (not an iframe), so the copy
happens in the click itself, as browsers require, and the page does not rerun. Where the
Clipboard API is missing (a plain-http address other than localhost) it falls back to the
older copy command; the result is said in a polite live region and on the button.
"""

from __future__ import annotations

import streamlit as st

COMPONENT = "chalk_copy_button"

_HTML = """<button type="button" class="copy"><svg aria-hidden="true" viewBox="0 0 24 24"
width="18" height="18"><path fill="currentColor" d="M9 18q-.825 0-1.412-.587T7 16V4q0-.825.588
-1.412T9 2h9q.825 0 1.413.588T20 4v12q0 .825-.587 1.413T18 18zm0-2h9V4H9zm-4 6q-.825 0-1.412-.587
T3 20V6h2v14h11v2zm4-6V4z"/></svg><span class="label"></span></button>
<span class="status" role="status" aria-live="polite"></span>"""

# Streamlit's secondary button, drawn with the theme's variables so it follows both themes.
_CSS = """
.copy {
  display: inline-flex; align-items: center; justify-content: center; gap: 0.5rem;
  width: 100%; min-height: 2.5rem; padding: 0.25rem 0.75rem;
  font: inherit; font-family: var(--st-font); font-size: var(--st-base-font-size);
  color: var(--st-text-color); background: var(--st-background-color);
  border: 1px solid var(--st-border-color); border-radius: var(--st-button-radius);
  cursor: pointer;
}
/* Only the border takes the primary colour: as text it is below 4.5:1 on the dark theme. */
.copy:hover { border-color: var(--st-primary-color); }
.copy:focus-visible { outline: 2px solid currentColor; outline-offset: 2px; }
.status {
  position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
  clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0;
}
"""

_JS = """
export default function ({ parentElement, data }) {
  const button = parentElement.querySelector("button.copy");
  const label = parentElement.querySelector(".label");
  const status = parentElement.querySelector(".status");
  label.textContent = data.label;
  button.dataset.copyText = data.text;
  let timer;
  const say = (message) => {
    label.textContent = message;
    status.textContent = message;
    clearTimeout(timer);
    timer = setTimeout(() => { label.textContent = data.label; status.textContent = ""; }, 2500);
  };
  const oldCopy = () => {
    const area = document.createElement("textarea");
    area.value = data.text;
    area.setAttribute("readonly", "");
    area.style.cssText = "position:fixed;top:0;left:0;opacity:0;";
    document.body.appendChild(area);
    area.select();
    let copied = false;
    try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
    area.remove();
    return copied;
  };
  button.onclick = async () => {
    try {
      await navigator.clipboard.writeText(data.text);
      say(data.done);
    } catch (error) {
      say(oldCopy() ? data.done : data.failed);
    }
  };
  return () => clearTimeout(timer);
}
"""


def copy_button(
    text: str,
    *,
    key: str,
    label: str = "Copy link",
    done: str = "Link copied",
    failed: str = "Select the link and copy it",
) -> None:
    """A full-width button that copies `text` to the clipboard when pressed."""
    # Registering again with the same definition is a no-op; doing it here keeps the
    # component known to every Streamlit runtime (a server, or each AppTest).
    component = st.components.v2.component(COMPONENT, html=_HTML, css=_CSS, js=_JS)
    component(
        key=key,
        data={"text": text, "label": label, "done": done, "failed": failed},
    )
