"""Sharing under AppTest: the visible Copy link button, the QR code for the board, the embed
page and its snippet, the player's poster, view counts (the owner's only) and the gallery's
folded filters."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import zxingcpp
from PIL import Image
from streamlit.testing.v1 import AppTest

from app import gallery, qr, sharing, views
from app.db.engine import session_scope
from app.db.models import Video
from app.ui import clipboard
from tests.helpers import make_account
from tests.ui.conftest import ENTRY, app_test, seed_video, teacher_id, texts

GALLERY = "pages/gallery.py"
WATCH = "pages/watch.py"
BASE = "http://localhost:8501"


def copy_buttons(at: AppTest) -> dict[str, dict[str, Any]]:
    """The copy buttons on the page: label → the data the component got."""
    found = {}
    for element in at.get("bidi_component"):
        if element.proto.component_name == clipboard.COMPONENT:
            data = json.loads(element.proto.json)
            found[data["label"]] = data
    return found


def no_error(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, texts(at.error)


def test_a_shared_card_has_a_copy_link_button_and_the_link_as_text(ui_settings):
    seed_video(ui_settings, title="Fractions", visibility="link", share_token="tok-frac")
    at = app_test(GALLERY)
    no_error(at)
    link = f"{BASE}/watch?v=tok-frac"
    buttons = copy_buttons(at)
    assert buttons["Copy link"]["text"] == link
    assert buttons["Copy embed code"]["text"].startswith(f'<iframe src="{BASE}/embed?v=tok-frac"')
    assert link in [code.value for code in at.code]


def test_a_new_video_is_shared_from_create_with_its_link_ready_to_copy(ui_settings):
    video_id = seed_video(ui_settings, title="Just made")
    with session_scope(ui_settings) as session:
        job_id = session.get(Video, video_id).job_id
    at = AppTest.from_file(str(ENTRY), default_timeout=60)
    make_account(ui_settings, "teacher")
    at.session_state["authentication_status"] = True
    at.session_state["username"] = "teacher"
    at.session_state["create_job"] = job_id
    at.run()
    no_error(at)
    assert not copy_buttons(at)
    assert [h.proto.body for h in at.get("html") if "data-chalk-poster" in h.proto.body]
    at.radio(key=f"create_visibility_{video_id}").set_value("link").run()
    no_error(at)
    token = gallery.get_video(settings=ui_settings, video_id=video_id, owner_id=None).share_token
    assert copy_buttons(at)["Copy link"]["text"] == f"{BASE}/watch?v={token}"
    assert at.button(key="create_share_qr")


def test_a_private_card_offers_no_link_to_copy(ui_settings):
    seed_video(ui_settings, title="Draft")
    at = app_test(GALLERY)
    assert not copy_buttons(at)
    assert not at.code


def test_the_qr_code_opens_on_the_board_and_downloads(ui_settings):
    video_id = seed_video(ui_settings, title="Circles", visibility="public", share_token="tok-qr")
    at = app_test(GALLERY)
    before = len(at.get("image"))
    at.button(key=f"gallery_share_{video_id}_qr").click().run()
    no_error(at)
    assert len(at.get("image")) == before + 1  # the code, in a dialog
    downloads = [button.proto.label for button in at.get("download_button")]
    assert "Download PNG" in downloads and "Download SVG" in downloads


def test_the_qr_code_reads_back_as_the_link():
    link = f"{BASE}/watch?v=G3jZBUT0QIXHzJHP6p9lUQ"
    read = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.png(link))))
    assert [code.text for code in read] == [link]
    svg = qr.svg(link, title="Circles").decode()
    assert svg.startswith("<?xml") and "<title>Circles</title>" in svg
    # The SVG draws the modules of the code that read back: trace its path into a grid.
    assert svg_modules(svg) == qr.modules(link)


def svg_modules(svg: str) -> list[list[bool]]:
    """The dark modules a segno SVG path draws ("M4 4.5h7m2 0h5…": runs along each row)."""
    path = re.search(r'class="qrline"[^>]* d="([^"]+)"', svg).group(1)
    dark: set[tuple[int, int]] = set()
    x = y = 0.0
    for command, numbers in re.findall(r"([Mmh])([-\d. ]+)", path):
        values = [float(n) for n in numbers.split()]
        if command == "M":
            x, y = values
        elif command == "m":
            x, y = x + values[0], y + values[1]
        else:
            dark.update((int(y), int(x) + i) for i in range(int(values[0])))
            x += values[0]
    border = qr.QUIET_ZONE
    rows = max(r for r, _ in dark) - border + 1
    return [[(r + border, c + border) in dark for c in range(rows)] for r in range(rows)]


def test_the_embed_snippet_escapes_the_title_and_keeps_the_aspect():
    url = sharing.embed_url(BASE, "tok")
    assert url == f"{BASE}/embed?v=tok"
    snippet = sharing.embed_snippet(url, title='5 > 3 "quoted"', width=1080, height=1920)
    assert snippet == (
        f'<iframe src="{url}" title="5 &gt; 3 &quot;quoted&quot;" width="360" height="640" '
        'style="border:0" allowfullscreen></iframe>'
    )


def embed(token: str) -> AppTest:
    """The app as a browser at /embed opens it (a visitor: iframes carry no sign-in)."""
    at = AppTest.from_file(str(ENTRY), default_timeout=60)
    at.context = {"url": f"{BASE}/embed"}
    at.query_params["v"] = token
    at.switch_page("pages/embed.py")  # as Streamlit starts a session opened at /embed
    return at.run()


def test_the_embed_page_is_the_player_alone(ui_settings):
    seed_video(ui_settings, title="Angles", visibility="link", share_token="tok-embed")
    at = embed("tok-embed")
    no_error(at)
    assert at.get("video")
    # No menu (the only page is the player), no title, no sign-in, no widgets.
    assert {page.get("url_pathname") for page in at._registered_pages.values()} == {"", "embed"}
    assert not at.title and not at.header and not at.text_input and not at.button


def test_the_embed_page_plays_only_shared_videos(ui_settings):
    seed_video(ui_settings, title="Secret", share_token="tok-private")
    at = embed("tok-private")
    assert not at.get("video")
    assert "isn't shared" in texts(at.warning)[0]


def test_the_player_shows_the_thumbnail_as_its_poster(ui_settings):
    seed_video(ui_settings, title="Poster", visibility="link", share_token="tok-poster")
    at = app_test(WATCH, v="tok-poster")
    no_error(at)
    assert at.get("video")
    # The still is drawn next to the player (hidden) and the script makes it the poster.
    assert [html.proto.body for html in at.get("html") if "data-chalk-poster" in html.proto.body]
    assert at.get("image")


def views_of(ui_settings, video_id: str) -> int:
    """The count the owner (the seeded teacher) would see."""
    counts = views.view_counts(
        settings=ui_settings, owner_id=teacher_id(ui_settings), video_ids=[video_id]
    )
    return counts[video_id]


def test_a_view_counts_once_per_session_and_watchers_never_see_counts(ui_settings):
    video_id = seed_video(ui_settings, title="Counted", visibility="link", share_token="tok-v")
    at = app_test(WATCH, user=None, v="tok-v")
    at.run()
    at.run()
    assert views_of(ui_settings, video_id) == 1
    page = " ".join(texts(at.markdown) + texts(at.caption))
    assert "view" not in page.lower().replace("preview", "")
    app_test(WATCH, user="colleague", v="tok-v")  # another teacher's session
    embed("tok-v").run()  # an iframe on a class site
    assert views_of(ui_settings, video_id) == 3
    app_test(WATCH, v="tok-v")  # the owner watching their own link
    assert views_of(ui_settings, video_id) == 3


def test_the_owner_sees_the_views_on_their_card_and_nobody_else_does(ui_settings):
    video_id = seed_video(ui_settings, title="Popular", visibility="public", share_token="tok-p")
    for _ in range(2):
        views.count_view(settings=ui_settings, video_id=video_id, viewer_id=None)
    mine = app_test(GALLERY)
    assert any("2 views" in caption for caption in texts(mine.caption))
    make_account(ui_settings, "principal", role="admin")
    admin = app_test(GALLERY, user="principal")
    admin.toggle(key="gallery_everyone").set_value(True).run()
    no_error(admin)
    assert "Popular" in " ".join(texts(admin.markdown))
    assert not any("views" in caption for caption in texts(admin.caption))


def popover(node: Any, label: str) -> Any:
    """The popover block labelled `label` under `node`, or None."""
    if getattr(node, "type", None) == "popover" and node.proto.popover.label.startswith(label):
        return node
    for child in getattr(node, "children", {}).values():
        found = popover(child, label)
        if found is not None:
            return found
    return None


def test_the_gallery_filters_fold_behind_one_button(ui_settings):
    seed_video(ui_settings, title="First")
    at = app_test(GALLERY)
    folded = popover(at.main, "Filters")
    assert folded is not None
    keys = {widget.key for widget in folded.children.values()}
    assert keys == {"gallery_subject", "gallery_template", "gallery_visibility", "gallery_dates"}
    assert popover(at.main, "Filters").proto.popover.label == "Filters"
    # The search box stays out in the open; a filter in use is counted on the button.
    at.text_input(key="gallery_search")
    at.selectbox(key="gallery_subject").set_value("Math").run()
    assert popover(at.main, "Filters").proto.popover.label == "Filters (1)"
