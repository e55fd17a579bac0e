"""The web app served under /app/ (server-rendered pages, every asset local)."""

from fastapi import APIRouter

from service.settings import Settings

__all__ = ["router"]


def router(settings: Settings) -> APIRouter:
    r = APIRouter(include_in_schema=False)
    return r
