from django.conf import settings


def municipality(request):
    return {"MUNICIPALITY": settings.MUNICIPALITY}


def production(request):
    """The demo banner and the idle-timeout warning read these (templates/base.html)."""
    return {
        "PRODUCTION": settings.PRODUCTION,
        "IDLE_TIMEOUT": settings.IDLE_TIMEOUT,
        "IDLE_WARNING": settings.IDLE_WARNING,
    }
