"""The REST API under /api/v1/: one router per domain module, registered here."""

from importlib import import_module

from ninja.security import django_auth

from tongchou.api.errors import TongchouAPI, install_error_handlers

api = TongchouAPI(
    title="统筹 Tongchou API",
    version="1",
    description="昌吉州数字政府项目建设管理系统接口",
    auth=django_auth,
    urls_namespace="api",
)
install_error_handlers(api)

# (prefix, module under tongchou.api) — one line per domain router.
ROUTERS = [
    ("/", "assessments"),
    ("/", "projects"),
    ("/", "lifecycle"),
    ("/calendar", "calendar"),
    ("/notifications", "notifications"),
    ("/obligations", "obligations"),
    ("/experts/", "experts"),
    ("/reviews/", "reviews"),
    ("/delivery/", "delivery"),
    ("/portfolio/", "portfolio"),
    ("/reports/", "reports"),
    ("/public/", "public"),
    ("/demand/", "demand"),
]

for _prefix, _module in ROUTERS:
    api.add_router(_prefix, import_module(f"tongchou.api.{_module}").router)
