"""Register and application pages (thin: forms in, services and selectors do the work)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from tongchou.accounts.models import Organisation, User
from tongchou.accounts.requests import AuthenticatedHttpRequest
from tongchou.core_errors import DomainError, NotFound
from tongchou.lifecycle.actions import project_actions_for, project_decide
from tongchou.projects import attachments as attachment_files
from tongchou.projects.assessing import AssessmentInputError
from tongchou.projects.forms import ProjectForm
from tongchou.projects.listing import SORT_LABELS, RegisterQuery, register_page
from tongchou.projects.models import Level, MaterialKind, Project, ReviewPath, SplitVerdict, Status, Support
from tongchou.projects.plan_link import PLAN_FILTER_LABELS, plan_links_for, project_plan_link
from tongchou.projects.presenting import assessment_view
from tongchou.projects.reapply import REAPPLY_FROM, may_reapply, project_reapply, project_successor
from tongchou.projects.selectors import (
    project_can_edit,
    project_get,
    project_latest_assessment,
    project_timeline,
    projects_visible_to,
    user_may_create_projects,
)
from tongchou.projects.services import (
    project_assess_draft,
    project_create,
    project_draft,
    project_submit,
    project_update,
)
from tongchou.projects.splitcheck import draft_split_warnings
from tongchou.projects.splitfindings import (
    may_see_split_findings,
    split_finding_judge,
    split_findings_visible_to,
)
from tongchou.reviews.selectors import project_for as review_project_for
from tongchou.reviews.selectors import rounds_visible_to


def _get(request: AuthenticatedHttpRequest, pk: int) -> Project:
    try:
        return project_get(user=request.user, pk=pk)
    except NotFound:
        raise Http404("未找到该项目，或您无权查看") from None


def _texts(project: Project) -> dict[str, str]:
    return {m.kind: m.text for m in project.materials.all()}


@login_required
@require_GET
def register(request: AuthenticatedHttpRequest) -> HttpResponse:
    query = RegisterQuery.from_params(request.GET)
    page = register_page(request.user, query)
    links = plan_links_for(page.items)
    for item in page.items:
        item.plan_link = links.get(item.pk)  # type: ignore[attr-defined]
    visible_units = Organisation.objects.filter(
        pk__in=projects_visible_to(request.user).values("unit_id")
    ).order_by("level", "name")
    params = request.GET.copy()
    params.pop("after", None)
    next_params = params.copy()
    if page.next_cursor:
        next_params["after"] = page.next_cursor
    return render(request, "projects/register.html", {
        "page": page, "query": query, "units": visible_units,
        "levels": Level.choices, "statuses": Status.choices, "review_paths": ReviewPath.choices,
        "supports": Support.choices, "sorts": SORT_LABELS.items(), "plan_filters": PLAN_FILTER_LABELS.items(),
        "first_url": "?" + params.urlencode(), "next_url": "?" + next_params.urlencode() if page.next_cursor else "",
        "may_create": user_may_create_projects(request.user),
    })


@login_required
def project_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not user_may_create_projects(request.user):
        raise Http404("只有项目建设单位可以新建申报")
    form = ProjectForm(request.POST or None, instance=Project(unit=request.user.organisation),
                       initial={"year": timezone.localdate().year})
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            project = project_create(actor=request.user, data=form.fact_data(), texts=form.texts())
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, f"草稿已保存，项目编号 {project.code}。")
            return redirect("projects:edit", pk=project.pk)
    return render(request, "projects/form.html", {"form": form, "project": None, "error": error},
                  status=400 if request.method == "POST" else 200)


@login_required
def project_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = _get(request, pk)
    if not project_can_edit(user=request.user, project=project):
        messages.info(request, f"项目当前状态为「{project.get_status_display()}」，只能查看。")
        return redirect("projects:detail", pk=project.pk)
    texts = _texts(project)
    form = ProjectForm(request.POST or None, instance=project, texts=texts,
                       initial={"version": project.version})
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            version = form.cleaned_data.get("version") or 0
            if request.POST.get("action") == "submit":
                saved = project_update(actor=request.user, project=project, version=version,
                                       data=form.fact_data(), texts=form.texts())
                try:
                    project_submit(project=saved, actor=request.user, version=saved.version)
                except DomainError as refused:
                    # The draft is saved; the submission was refused with its reasons.
                    messages.error(request, refused.message)
                    if refused.hint:
                        messages.info(request, refused.hint)
                    return redirect("projects:edit", pk=saved.pk)
                messages.success(request, f"项目 {saved.code} 已提交，评估结果已保存。")
                return redirect("projects:detail", pk=saved.pk)
            saved = project_update(actor=request.user, project=project, version=version,
                                   data=form.fact_data(), texts=form.texts())
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, f"草稿已保存（第 {saved.version} 版）。")
            return redirect("projects:edit", pk=saved.pk)
    status = 200 if request.method == "GET" else (409 if error is not None and error.status == 409 else 400)
    return render(request, "projects/form.html", {
        "form": form, "project": project, "error": error,
        "attachments": project.attachments.select_related("file"), "materials": MaterialKind.choices,
    }, status=status)


@login_required
@require_POST
def project_assess_live(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    """The htmx partial beside the form: the assessment of what is typed now; nothing saved."""
    if pk is None:
        if not user_may_create_projects(request.user):
            raise Http404()
        org = request.user.organisation
        if org is None:  # user_may_create_projects has checked organisation_id; this narrows the type
            raise Http404()
        project = Project(unit=org, level=org.level)
    else:
        project = _get(request, pk)
        if not project_can_edit(user=request.user, project=project):
            raise Http404()
    form = ProjectForm(request.POST, instance=project if project.pk else None)
    context: dict[str, Any] = {}
    form_ok = form.is_valid()
    if not form_ok:
        context["form_errors"] = form.error_list()
    else:
        try:
            result = project_assess_draft(project=project, data=form.fact_data(), texts=form.texts())
            context["a"] = assessment_view(result)
            context["splits"] = draft_split_warnings(
                user=request.user, project=project_draft(project=project, data=form.fact_data()),
                texts=form.texts())
        except AssessmentInputError as exc:
            context["form_errors"] = [{"field": e.get("field", ""), "message": f"{e.get('field', '')}：{e.get('message', '')}"}
                                      for e in exc.errors]
        except DomainError as exc:
            context["engine_error"] = exc.message
    return render(request, "projects/_assessment.html", context)


@login_required
@require_GET
def project_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = _get(request, pk)
    latest = project_latest_assessment(project=project)
    texts = _texts(project)
    from tongchou.reviews.factfix import fact_corrections_for  # the bureau's Art. 12 corrections (ADR 0220)

    return render(request, "projects/detail.html", {
        "project": project,
        "fact_corrections": fact_corrections_for(project),
        "a": assessment_view(latest.result) if latest else None,
        "latest": latest,
        "texts": [(label, texts.get(kind, "")) for kind, label in MaterialKind.choices],
        "attachments": project.attachments.select_related("file"),
        "timeline": project_timeline(project=project),
        "may_edit": project_can_edit(user=request.user, project=project),
        **_actions(project_actions_for(project=project, user=request.user)),
        "deadlines": _open_deadlines(project), "today": timezone.localdate(),
        "plan_link": project_plan_link(project=project),
        "predecessor": project.supersedes,
        "predecessor_reason": REAPPLY_FROM.get(project.supersedes.status) if project.supersedes else None,
        "successor": project_successor(project),
        "may_reapply": may_reapply(user=request.user, project=project),
        "reapply_reason": REAPPLY_FROM.get(project.status),
        **_review_links(request.user, project),
    })


def _actions(actions: list[dict[str, Any]]) -> dict[str, Any]:
    """The decisions taken on this page, and the two taken on the review page that the bureau and the unit
    must still find from here: 受理 (start_review or self-procurement, routed by the stored assessment)
    and 报备 (Art. 18), posted to the review page."""
    codes = {a["action"] for a in actions}
    return {"decisions": [a for a in actions if a["here"]],
            "may_intake": bool(codes & {"start_review", "register_self_procurement"}),
            "may_file": "file" in codes}


def _open_deadlines(project: Project) -> list[Any]:
    """The project's open deadlines, each with who must meet it (information: the unit sees the bureau's)."""
    from tongchou.obligations.models import OPEN_STATUSES

    return list(project.obligations.filter(status__in=OPEN_STATUSES).select_related("responsible_org")
                .order_by("due_date", "id"))


def _review_links(user: User, project: Project) -> dict[str, Any]:
    """Links to the project's review pages, as the reviews selectors allow: its unit reaches the review
    page (filing, approval, budget) but, as on that page, not the rounds; the bureau and reviewers do."""
    if project.status == Status.DRAFT:
        return {"review_page": False, "review_round": None}
    try:
        review_project_for(user, project.pk)
    except NotFound:
        return {"review_page": False, "review_round": None}
    current = rounds_visible_to(user).filter(project_id=project.pk).order_by("-opened_at", "-id").first()
    return {"review_page": True, "review_round": current}


@login_required
@require_POST
def project_reapply_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """重新申报 (Art. 26): the new draft opens in the form; a refusal comes back to the old project's page."""
    project = _get(request, pk)
    if request.POST.get("confirm") != "yes":
        messages.error(request, "请勾选“确认以本项目为基础重新申报”后再提交。")
        return redirect("projects:detail", pk=pk)
    try:
        new = project_reapply(project=project, actor=request.user)
    except NotFound:
        raise Http404() from None
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("projects:detail", pk=pk)
    messages.success(request, f"已重新申报：新的申报草稿 {new.code} 已生成（复制了原项目 {project.code} 的申报信息和材料文本，"
                              "附件未复制，请按需重新上传），请核对后提交。")
    return redirect("projects:edit", pk=new.pk)


@login_required
@require_POST
def project_decide_view(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    project = _get(request, pk)
    try:
        version = int(request.POST.get("version") or 0) or None
        done = project_decide(project=project, action=action, actor=request.user,
                              note=request.POST.get("note", ""), expected_version=version)
        messages.success(request, f"已办理，项目状态：{done.get_status_display()}。")
    except (DomainError, ValueError) as exc:
        messages.error(request, getattr(exc, "message", "办理失败：版本号无效，请刷新页面。"))
    return redirect("projects:detail", pk=pk)


@login_required
@require_POST
def project_submit_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = _get(request, pk)
    try:
        version = int(request.POST.get("version") or 0) or None
        project_submit(project=project, actor=request.user, version=version)
    except (DomainError, ValueError) as exc:
        messages.error(request, getattr(exc, "message", "提交失败：版本号无效。"))
        if isinstance(exc, DomainError) and exc.hint:
            messages.info(request, exc.hint)
        return redirect("projects:edit" if project_can_edit(user=request.user, project=project)
                        else "projects:detail", pk=project.pk)
    messages.success(request, f"项目 {project.code} 已提交，评估结果已保存。")
    return redirect("projects:detail", pk=project.pk)


@login_required
@require_POST
def attachment_upload(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = _get(request, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请选择要上传的文件。")
    else:
        try:
            attachment = attachment_files.attachment_add(
                project=project, actor=request.user, material=request.POST.get("material", ""),
                upload=upload, filename=upload.name or "",
            )
        except NotFound:
            raise Http404() from None
        except DomainError as exc:
            messages.error(request, f"附件未上传：{exc.message}")
        else:
            messages.success(request, f"附件「{attachment.display_name}」已上传（SM3 {attachment.sm3[:12]}…）。")
    return redirect("projects:edit" if project_can_edit(user=request.user, project=project)
                    else "projects:detail", pk=project.pk)


@login_required
@require_GET
def attachment_download(request: AuthenticatedHttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    try:
        attachment, data = attachment_files.attachment_open(user=request.user, project_pk=pk,
                                                            attachment_pk=attachment_pk)
    except NotFound:
        raise Http404() from None
    response = attachment_files.file_response(attachment, data)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_POST
def split_judge_view(request: AuthenticatedHttpRequest, pk: int, finding_pk: int) -> HttpResponse:
    """The bureau's judgement of a suspected split (Art. 16); the service checks who may judge."""
    project = _get(request, pk)
    try:
        finding = split_finding_judge(finding_id=finding_pk, project=project, actor=request.user,
                                      verdict=request.POST.get("verdict", ""), outcome=request.POST.get("outcome", ""),
                                      reason=request.POST.get("reason", ""))
    except NotFound:
        raise Http404() from None
    except DomainError as exc:
        messages.error(request, exc.message)
        if exc.hint:
            messages.info(request, exc.hint)
    else:
        messages.success(request, f"已研判：{finding.get_verdict_display()}"
                         + (f"，{finding.get_outcome_display()}" if finding.outcome else "") + "（第十六条）。")
    if request.POST.get("back") == "review":
        return redirect("reviews:project", project_id=pk)
    return redirect("projects:detail", pk=pk)


@login_required
@require_GET
def split_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The bureau's list of suspected splits found on direct applications (Art. 8, 16, 3)."""
    if not may_see_split_findings(request.user):
        raise Http404()
    verdict = request.GET.get("verdict", "open")
    rows = split_findings_visible_to(request.user)
    if verdict in SplitVerdict.values:
        rows = rows.filter(verdict=verdict)
    return render(request, "projects/splits.html", {"rows": rows[:200], "verdict": verdict,
                                                    "verdicts": SplitVerdict.choices})
