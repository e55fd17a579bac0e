"""The audit over HTTP: decision log, impact ratios, advancement disparities, protected attributes."""

from fastapi import APIRouter

from service.settings import Settings

__all__ = ["router"]


def router(settings: Settings) -> APIRouter:
    r = APIRouter(tags=["audit"])
    return r
