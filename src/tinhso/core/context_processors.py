from django.conf import settings


def site(request):
    return {"SITE_NAME": settings.TINHSO_SITE_NAME, "PUBLIC_URL": settings.PUBLIC_URL}
