"""The REST API under /api/v1/: one router per domain module, registered here."""

from ninja import NinjaAPI
from ninja.security import django_auth

from tongchou.api.errors import install_error_handlers

api = NinjaAPI(
    title="统筹 Tongchou API",
    version="1",
    description="昌吉州数字政府项目建设管理系统接口",
    auth=django_auth,
    urls_namespace="api",
)
install_error_handlers(api)

# Domain routers (one module each) are added below.
from tongchou.api.assessments import router as assessments_router  # noqa: E402
from tongchou.api.calendar import router as calendar_router  # noqa: E402
from tongchou.api.delivery import router as delivery_router  # noqa: E402
from tongchou.api.notifications import router as notifications_router  # noqa: E402
from tongchou.api.obligations import router as obligations_router  # noqa: E402

api.add_router("/", assessments_router)
api.add_router("/calendar", calendar_router)
api.add_router("/delivery/", delivery_router)
api.add_router("/notifications", notifications_router)
api.add_router("/obligations", obligations_router)
