from django.conf import settings


def service(request):
    return {
        "service_name": "IJB Rep Portal",
        "require_mfa": settings.REQUIRE_MFA,
        "demo_mode": settings.DEMO_MODE,
    }
