from django.conf import settings


def municipality(request):
    return {"MUNICIPALITY": settings.MUNICIPALITY}
