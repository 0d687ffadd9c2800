"""The real URLs plus two views that fail, for test_error_pages.py only."""

from django.core.cache import cache
from django.urls import path

from madoguchi.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def boom(request):
    raise RuntimeError("a bug")


def uses_the_cache(request):
    cache.get("anything")  # Redis, when the test points the cache at one that is down


urlpatterns = [path("test/boom/", boom), path("test/cache/", uses_the_cache), *urlpatterns]
