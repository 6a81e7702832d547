"""Videos: list and search (paginated), one video, rename and share, delete, download."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from fastapi.responses import FileResponse, RedirectResponse

from app import gallery
from app.api.deps import OwnerDep, SettingsDep
from app.api.errors import ApiProblem
from app.api.models import VideoOut, VideoPageOut, VideoPatch
from app.api.routers import problems
from app.jobs import service
from app.storage import StorageError, get_storage

router = APIRouter(prefix="/videos", tags=["videos"])


def video_json(item: gallery.VideoItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "job_id": item.job_id,
        "title": item.title,
        "prompt": item.prompt,
        "template": item.template,
        "generator": item.generator,
        "quality": item.quality,
        "aspect": item.aspect,
        "duration_s": item.duration_s,
        "width": item.width,
        "height": item.height,
        "size_bytes": item.size_bytes,
        "visibility": item.visibility,
        "share_token": item.share_token,
        "created_at": item.created_at,
        "description": item.description.to_json() if item.description else None,
        "download": f"/v1/videos/{item.id}/download",
        "item_id": item.item_id,
        "version": item.version,
        "versions": item.versions,
    }


@router.get(
    "",
    response_model=VideoPageOut,
    summary="Your videos (each item's current version), newest or best match first",
    responses=problems(401, 422),
)
def list_videos(
    owner: OwnerDep,
    settings: SettingsDep,
    q: Annotated[str, Query(max_length=200, description="Search words.")] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
) -> dict[str, Any]:
    found = gallery.list_videos(
        settings=settings,
        owner_id=owner.user_id,
        filters=gallery.VideoFilters(text=q),
        page=page,
        per_page=per_page,
    )
    return {
        "items": [video_json(item) for item in found.items],
        "total": found.total,
        "page": found.page,
        "pages": found.pages,
    }


@router.get("/{video_id}", response_model=VideoOut, responses=problems(401, 404))
def get_video(video_id: str, owner: OwnerDep, settings: SettingsDep) -> dict[str, Any]:
    item = gallery.get_video(settings=settings, video_id=video_id[:64], owner_id=owner.user_id)
    return video_json(item)


@router.patch(
    "/{video_id}",
    response_model=VideoOut,
    summary="Rename or share a video",
    responses=problems(400, 401, 404, 422),
)
def patch_video(
    video_id: str, body: VideoPatch, owner: OwnerDep, settings: SettingsDep
) -> dict[str, Any]:
    video_id = video_id[:64]
    # Found first, so another user's video is a 404 even for an invalid change.
    gallery.get_video(settings=settings, video_id=video_id, owner_id=owner.user_id)
    if body.title is not None:
        try:
            gallery.rename(
                settings=settings, video_id=video_id, owner_id=owner.user_id, title=body.title
            )
        except gallery.ChalkError as exc:
            raise ApiProblem(422, exc.kind, exc.message, field="title") from None
    if body.visibility is not None:
        gallery.set_visibility(
            settings=settings,
            video_id=video_id,
            owner_id=owner.user_id,
            visibility=body.visibility,
        )
    item = gallery.get_video(settings=settings, video_id=video_id, owner_id=owner.user_id)
    return video_json(item)


@router.delete(
    "/{video_id}", status_code=204, response_class=Response, responses=problems(401, 404)
)
def delete_video(video_id: str, owner: OwnerDep, settings: SettingsDep) -> Response:
    service.delete_video(settings=settings, video_id=video_id[:64], owner_id=owner.user_id)
    return Response(status_code=204)


@router.get(
    "/{video_id}/download",
    response_class=Response,
    summary="The MP4: the file itself, or a redirect to a time-limited link",
    responses={
        200: {"content": {"video/mp4": {}}, "description": "The video file."},
        307: {"description": "A redirect to a presigned link to the file."},
        **problems(401, 404),
    },
)
def download_video(video_id: str, owner: OwnerDep, settings: SettingsDep) -> Response:
    item = gallery.get_video(settings=settings, video_id=video_id[:64], owner_id=owner.user_id)
    storage = get_storage(settings)
    name = f"{item.title or 'chalk-video'}.mp4"
    path = storage.local_path(item.storage_key)
    gallery.record_downloaded(settings=settings, video_id=item.id, user_id=owner.user_id)
    if path is not None:
        if not path.is_file():
            raise ApiProblem(404, "not_found", "The video's file is missing from the media store.")
        return FileResponse(path, media_type="video/mp4", filename=name)
    try:
        link = storage.url(item.storage_key, download_name=name)
    except StorageError as exc:
        raise ApiProblem(503, "internal", "The media store cannot be reached; try again.") from exc
    return RedirectResponse(link, status_code=307)
