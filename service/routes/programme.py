"""The mobility programme over HTTP: succession slates, mentors, opportunities, mobility analytics."""

from fastapi import APIRouter

from service.settings import Settings

__all__ = ["router"]


def router(settings: Settings) -> APIRouter:
    r = APIRouter(tags=["programme"])
    return r
