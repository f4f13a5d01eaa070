"""Generic pages generated from resources, and the framework pages (home, search, audit, health)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import select_template
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.decorators.http import require_GET, require_POST

from . import exports
from .audit import history_for, snapshot
from .display import display_value, field_label
from .forms import DeleteForm, ImportForm
from .listing import PAGE_SIZES, build_listing, paginate, restrict_choices, scope_unit
from .models import AuditAction, AuditEntry, Versioned
from .ranking import ranked
from .record_actions import RecordAction, chosen_action, ordered_actions
from .resources import ModelResource, registry
from .scoping import can, can_on
from .services import (
    StaleVersion,
    object_create,
    object_delete,
    object_update,
    stale_message,
)


def template_for(resource: type[ModelResource], suffix: str) -> list[str]:
    return [
        f"{resource.app_label()}/{resource.model_name()}_{suffix}.html",
        f"core/object_{suffix}.html",
    ]


VERSION_FIELD = "version"

_TITLES = {
    "ObjectCreateView": gettext_lazy("Add new"),
    "ObjectEditView": gettext_lazy("Edit"),
    "ObjectDeleteView": gettext_lazy("Delete"),
    "ObjectImportView": gettext_lazy("Import from Excel"),
    "ObjectExportView": gettext_lazy("Export to Excel"),
}


class ResourceView(LoginRequiredMixin, View):
    resource: type[ModelResource] = ModelResource  # set by ModelResource.urls()
    action = "view"

    def base_queryset(self, action: str | None = None) -> Any:
        queryset = self.resource.model.objects.restrict(  # type: ignore[attr-defined]
            self.request.user, action or self.action
        )
        if self.resource.select_related:
            queryset = queryset.select_related(*self.resource.select_related)
        return queryset

    def get_object(self, action: str | None = None) -> Any:
        return get_object_or_404(self.base_queryset(action), pk=self.kwargs["pk"])

    def context(self, **extra: Any) -> dict[str, Any]:
        resource = self.resource
        user = self.request.user
        model = resource.model
        names = {a: resource.url_name(a) for a in resource.actions()}
        crumbs: list[tuple[Any, str | None]] = []
        obj = extra.get("object")
        if not isinstance(self, ObjectListView):
            crumbs.append((resource.verbose_name_plural().capitalize(), reverse(names["list"])))
            if obj is not None:
                crumbs.append(
                    (
                        str(obj),
                        reverse(names["detail"], args=[obj.pk])
                        if not isinstance(self, ObjectDetailView)
                        else None,
                    )
                )
            if not isinstance(self, ObjectDetailView):
                crumbs.append((_TITLES.get(type(self).__name__, ""), None))
        else:
            crumbs.append((resource.verbose_name_plural().capitalize(), None))
        return {
            "crumbs": crumbs,
            "resource": resource,
            "verbose_name": resource.verbose_name(),
            "verbose_name_plural": resource.verbose_name_plural(),
            "urls": names,
            "can_add": "add" in names and can(user, "add", model),
            "can_export": "export" in names,
            "can_import": "import" in names and can(user, "add", model),
            **extra,
        }


class ObjectListView(ResourceView):
    def get(self, request: HttpRequest) -> HttpResponse:
        if not can(request.user, "view", self.resource.model):
            raise PermissionDenied(_("You have no role that lets you see this list."))
        listing = build_listing(request, self.resource)
        page = paginate(request, listing)
        columns = list(self.resource.get_list_columns())
        rows = []
        for obj in page.object_list:
            cells = [display_value(obj, c, request.user) for c in columns]
            rows.append({"obj": obj, "cells": cells, "css": self.resource.row_class(obj)})
        params = request.GET.copy()
        params.pop("page", None)
        sort_params = request.GET.copy()
        sort_params.pop("sort", None)
        sort_params.pop("page", None)
        headers = []
        for name in columns:
            sortable = name in self.resource.sortable
            next_sort = f"-{name}" if listing.sort == name else name
            headers.append(
                {
                    "label": field_label(self.resource.model, name),
                    "sortable": sortable,
                    "sort": next_sort,
                    "active": listing.sort.lstrip("-") == name,
                    "descending": listing.sort.startswith("-"),
                }
            )
        context = self.context(
            page=page,
            rows=rows,
            headers=headers,
            filterset=listing.filterset,
            query=listing.query,
            querystring=params.urlencode(),
            sort_querystring=sort_params.urlencode(),
            per_page=listing.per_page,
            page_sizes=PAGE_SIZES,
            total=page.paginator.count,
            capped=getattr(page.paginator, "capped", False),
            extra_actions=self.resource.list_actions(request.user),
            subtree=listing.subtree,
        )
        names = template_for(self.resource, "list")
        if request.htmx:  # type: ignore[attr-defined]
            names = [f"{n}#table" for n in names]
        return HttpResponse(select_template(names).render(context, request))


TITLE_FIELDS = {"title", "name", "full_name", "username", "nominee_label", "summary", "text"}


class ObjectDetailView(ResourceView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object()
        fields = []
        for name in self.resource.get_detail_fields():
            text, link = display_value(obj, name, request.user)
            fields.append(
                {"label": field_label(self.resource.model, name), "value": text, "link": link}
            )
        tab = request.GET.get("tab", "info")
        history = history_for(obj)[:200] if tab == "history" else None
        context = self.context(
            object=obj,
            fields=fields,
            tab=tab,
            history=history,
            can_edit="edit" in self.resource.actions() and can_on(request.user, "change", obj),
            can_delete="delete" in self.resource.actions() and can_on(request.user, "delete", obj),
        )
        context["key_facts"] = self.key_facts(obj)
        actions = ordered_actions(self.record_actions(obj, context))
        context["record_actions"] = actions
        context["open_action"] = chosen_action(actions, self.requested_action())
        return render(request, template_for(self.resource, "detail"), context)

    def requested_action(self) -> str | None:
        return self.request.GET.get("do")

    def key_facts(self, obj: Any) -> list[dict[str, Any]]:
        """The few facts the record header shows under the title (`resource.key_fields`)."""
        facts = []
        names = getattr(self.resource, "key_fields", None)
        if names is None:  # the list's columns, but the title (already the page's heading)
            names = [n for n in self.resource.get_list_columns() if n not in TITLE_FIELDS][:4]
        for name in names:
            text, link = display_value(obj, name, self.request.user)
            facts.append(
                {"label": field_label(self.resource.model, name), "value": text, "link": link}
            )
        return facts

    def record_actions(self, obj: Any, context: dict[str, Any]) -> list[RecordAction | None]:
        """What the user may do with the record now: edit, the record's own verbs
        (`verb_actions`), delete last. Each verb is offered only if its service would accept it."""
        urls = context["urls"]
        return [
            RecordAction("edit", _("Edit"), reverse(urls["edit"], args=[obj.pk]), primary=True)
            if context["can_edit"]
            else None,
            *self.verb_actions(obj, context),
            RecordAction("delete", _("Delete"), reverse(urls["delete"], args=[obj.pk]), danger=True)
            if context["can_delete"]
            else None,
        ]

    def verb_actions(self, obj: Any, context: dict[str, Any]) -> list[RecordAction | None]:
        return []


class ObjectFormView(ResourceView):
    mode = "add"

    def form_for(self, data: Any = None, files: Any = None, instance: Any = None) -> Any:
        form = self.resource.get_form_class(self.mode)(data=data, files=files, instance=instance)
        restrict_choices(form, self.request.user, self.action)
        if isinstance(instance, Versioned):
            # The version the editor started from; a save from an older one is refused.
            form.fields[VERSION_FIELD] = forms.IntegerField(
                widget=forms.HiddenInput, required=False, min_value=1
            )
            form.initial[VERSION_FIELD] = instance.version
        return form

    def render_form(self, form: Any, obj: Any = None) -> HttpResponse:
        context = self.context(form=form, object=obj, mode=self.mode)
        return render(self.request, template_for(self.resource, "form"), context)

    def save(self, form: Any, before: dict[str, Any] | None) -> Any:
        obj = form.save(commit=False)
        m2m = {
            f.name: form.cleaned_data[f.name]
            for f in obj._meta.many_to_many
            if f.name in form.cleaned_data
        }
        try:
            with transaction.atomic():
                if before is None:
                    object_create(user=self.request.user, instance=obj, m2m=m2m)
                else:
                    object_update(
                        user=self.request.user,
                        instance=obj,
                        before=before,
                        m2m=m2m,
                        expected_version=form.cleaned_data.get(VERSION_FIELD),
                    )
        except StaleVersion as error:
            # Keep what the user typed; the form now carries the current version, so saving
            # again (after reading what changed) is a deliberate choice.
            form.add_error(None, stale_message(error, self.request.user))
            form.data = form.data.copy()
            form.data[form.add_prefix(VERSION_FIELD)] = error.current
            return None
        except ValidationError as error:
            form.add_error(None, error)
            return None
        except PermissionDenied as error:
            form.add_error(None, str(error))
            return None
        return obj


class ObjectCreateView(ObjectFormView):
    action = "add"
    mode = "add"

    def get(self, request: HttpRequest) -> HttpResponse:
        if not can(request.user, "add", self.resource.model):
            raise PermissionDenied(_("You have no role that lets you add this."))
        form = self.form_for()
        unit_field = form.fields.get("unit")
        queryset = getattr(unit_field, "queryset", None)
        if queryset is not None:
            # Start from the unit the user looks at (scope picker), else their own unit.
            for candidate in (scope_unit(request), getattr(request.user, "home_unit", None)):
                if candidate is not None and queryset.filter(pk=candidate.pk).exists():
                    form.initial["unit"] = candidate.pk
                    break
        return self.render_form(form)

    def post(self, request: HttpRequest) -> HttpResponse:
        if not can(request.user, "add", self.resource.model):
            raise PermissionDenied(_("You have no role that lets you add this."))
        form = self.form_for(request.POST, request.FILES)
        if form.is_valid():
            obj = self.save(form, None)
            if obj is not None:
                messages.success(request, _("Saved “%(name)s”.") % {"name": obj})
                return redirect(self.resource.url_name("detail"), pk=obj.pk)
        return self.render_form(form)


class ObjectEditView(ObjectFormView):
    action = "change"
    mode = "edit"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object()
        return self.render_form(self.form_for(instance=obj), obj)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object()
        before = snapshot(obj)
        form = self.form_for(request.POST, request.FILES, instance=obj)
        if form.is_valid():
            saved = self.save(form, before)
            if saved is not None:
                messages.success(request, _("Saved “%(name)s”.") % {"name": saved})
                return redirect(self.resource.url_name("detail"), pk=saved.pk)
        return self.render_form(form, obj)


class ObjectDeleteView(ResourceView):
    action = "delete"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object()
        return render(
            request, "core/object_delete.html", self.context(object=obj, form=DeleteForm())
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object()
        form = DeleteForm(request.POST)
        if not form.is_valid():
            return render(request, "core/object_delete.html", self.context(object=obj, form=form))
        name = str(obj)
        try:
            object_delete(user=request.user, instance=obj, reason=form.cleaned_data["reason"])
        except ProtectedError:
            messages.error(
                request,
                _("“%(name)s” cannot be deleted: other records refer to it.") % {"name": name},
            )
            return redirect(self.resource.url_name("detail"), pk=pk)
        messages.success(request, _("Deleted “%(name)s”.") % {"name": name})
        return redirect(self.resource.url_name("list"))


class ObjectExportView(ResourceView):
    def get(self, request: HttpRequest) -> HttpResponseBase:
        if not can(request.user, "view", self.resource.model):
            raise PermissionDenied(_("You have no role that lets you see this list."))
        listing = build_listing(request, self.resource)
        total = listing.queryset.count()
        if total > exports.limit("export_background_rows") and request.user.home_unit_id:  # type: ignore[union-attr]
            from .jobs import start_export

            job = start_export(request, self.resource, total)
            return redirect("core:job_status", pk=job.pk)
        return exports.export_response(request, self.resource, listing.queryset)


class ObjectImportView(ResourceView):
    action = "add"

    def get(self, request: HttpRequest) -> HttpResponseBase:
        if not can(request.user, "add", self.resource.model):
            raise PermissionDenied(_("You have no role that lets you add this."))
        if request.GET.get("template"):
            return exports.import_template_response(self.resource)
        return render(request, "core/object_import.html", self.context(form=ImportForm()))

    def post(self, request: HttpRequest) -> HttpResponse:
        if not can(request.user, "add", self.resource.model):
            raise PermissionDenied(_("You have no role that lets you add this."))
        form = ImportForm(request.POST, request.FILES)
        errors: list[exports.RowError] = []
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                content = exports.read_bytes(upload)
                rows = exports.check_xlsx(content)
            except ValidationError as error:
                result = exports.ImportResult(
                    errors=[exports.RowError(0, "", " ".join(error.messages))]
                )
            else:
                background = rows - 1 > exports.limit("import_background_rows")
                if background and request.user.home_unit_id:  # type: ignore[union-attr]
                    from .jobs import start_import

                    job = start_import(request, self.resource, content, upload.name, rows - 1)
                    return redirect("core:job_status", pk=job.pk)
                result = exports.import_rows(
                    user=request.user, resource=self.resource, content=content, name=upload.name
                )
            if not result.errors:
                messages.success(
                    request,
                    ngettext("Imported %(count)d row.", "Imported %(count)d rows.", result.created)
                    % {"count": result.created},
                )
                return redirect(self.resource.url_name("list"))
            errors = result.errors
        return render(
            request, "core/object_import.html", self.context(form=form, errors=errors), status=400
        )


# -- framework pages ------------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    from .navigation import areas_for

    return render(request, "core/home.html", {"areas": areas_for(request.user)})


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def search(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    from .text import fold

    query = request.GET.get("q", "").strip()[:200]
    groups = []
    if query:
        words = fold(query).split()
        for resource in registry.all():
            if not resource.search_fields or "detail" not in resource.actions():
                continue
            queryset = resource.model.objects.restrict(request.user, "view")  # type: ignore[attr-defined]
            for word in words:
                queryset = queryset.filter(search_text__contains=word)
            total = queryset.count()
            if total:
                groups.append(
                    {
                        "resource": resource,
                        "label": resource.verbose_name_plural(),
                        "items": [
                            (obj, reverse(resource.url_name("detail"), args=[obj.pk]))
                            for obj in ranked(queryset, query, *resource.ordering)[:10]
                        ],
                        "total": total,
                        "list_url": reverse(resource.url_name("list")) + f"?q={query}",
                    }
                )
    return render(request, "core/search.html", {"query": query, "groups": groups})


AUDIT_PAGE = 50


def redact_unopenable(user: Any, entries: list[AuditEntry]) -> list[AuditEntry]:
    """Entries about a record the reader may not open (a confidential case seen by a unit
    administrator) keep only their action and time: no title, changes, message, user or
    request (issue 16). Checked through the gate (`restrict(user, "view")`, so the same rule
    as the record's own page); a deleted record of a model with record-level narrowing
    (`scope_narrow`) is redacted, since the gate can no longer vouch for it. Entries are
    changed in memory only, never saved."""
    from django.apps import apps

    wanted: dict[str, set[str]] = {}
    for entry in entries:
        if entry.object_type and entry.object_id:
            wanted.setdefault(entry.object_type, set()).add(entry.object_id)
    openable: dict[str, set[str]] = {}
    narrowed: set[str] = set()
    for label, ids in wanted.items():
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        manager: Any = model._default_manager
        if not hasattr(manager, "restrict"):
            continue
        if getattr(model, "scope_narrow", None) is not None:
            narrowed.add(label)
        keys = [int(i) for i in ids if i.isdigit()]
        existing = {str(pk) for pk in manager.filter(pk__in=keys).values_list("pk", flat=True)}
        seen = manager.restrict(user, "view").filter(pk__in=keys).values_list("pk", flat=True)
        openable[label] = {str(pk) for pk in seen}
        # A record that still exists and the reader may not open; or a deleted one of a
        # narrowed model.
        openable[label] |= {i for i in ids if i not in existing and label not in narrowed}
    for entry in entries:
        allowed = openable.get(entry.object_type)
        if allowed is None or not entry.object_id or entry.object_id in allowed:
            continue
        entry.redacted = True  # type: ignore[attr-defined]
        entry.object_repr = str(_("Confidential record"))
        entry.changes = {}
        entry.message = ""
        entry.user_id = None
        entry.username = ""
        entry.request_id = ""
        entry.ip = None  # type: ignore[assignment]
    return entries


def audit_log(request: HttpRequest) -> HttpResponse:
    """The global audit page: administrators (and heads) see the entries of their scope."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    if not can(request.user, "audit", AuditEntry):
        raise PermissionDenied(_("Only administrators may read the audit log."))
    from .listing import CappedPaginator

    queryset = AuditEntry.objects.restrict(request.user, "audit")
    action = request.GET.get("action", "")
    if action in AuditAction.values:
        queryset = queryset.filter(action=action)
    username = request.GET.get("user", "").strip()
    if username:
        queryset = queryset.filter(username__iexact=username)
    object_type = request.GET.get("type", "").strip()
    if object_type:
        queryset = queryset.filter(object_type=object_type)
    paginator = CappedPaginator(queryset.order_by("-id"), AUDIT_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = redact_unopenable(request.user, list(page.object_list))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "core/audit_log.html",
        {
            "page": page,
            "actions": AuditAction.choices,
            "action": action,
            "username": username,
            "object_type": object_type,
            "querystring": params.urlencode(),
            "capped": paginator.capped,
            "audit_crumbs": [
                (_("Administration"), reverse("accounts:admin_home")),
                (_("Audit log"), None),
            ],
        },
    )


def audit_entry(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    entry = get_object_or_404(AuditEntry.objects.restrict(request.user, "audit"), pk=pk)
    redact_unopenable(request.user, [entry])
    return render(request, "core/audit_entry.html", {"entry": entry, "entry_list": [entry]})


@require_POST
def set_scope(request: HttpRequest) -> HttpResponse:
    """Pick the unit the pages look at; only units inside the user's scope are accepted."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    from django.apps import apps

    unit_model = apps.get_model("units", "Unit")
    raw = request.POST.get("unit", "")
    if raw:
        try:
            unit = unit_model.objects.restrict(request.user, "view").get(pk=int(raw))
        except (ValueError, unit_model.DoesNotExist) as error:
            raise Http404(_("Unit not found.")) from error
        request.session["scope_unit_id"] = unit.pk
    else:
        request.session.pop("scope_unit_id", None)
    target = request.POST.get("next", "")
    from django.utils.http import url_has_allowed_host_and_scheme

    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("core:home")
    return redirect(target)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if exception and str(exception) else _("You may not do this.")
    return render(request, "403.html", {"message": message}, status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(
        request,
        "403.html",
        {"message": gettext_lazy("The form expired. Reload the page and try again.")},
        status=403,
    )


__all__ = ["field_label"]


class VerbDetailView(ObjectDetailView):
    """A detail page that shows the verbs' forms (Thụ lý, Gia hạn, Hoàn thành...) beside the
    record; `bound` replaces one with the posted form so nothing typed is lost on an error."""

    bound: dict[str, Any]

    def verb_forms(self, obj: Any) -> dict[str, Any]:
        return {}

    def detail_extra(self, obj: Any) -> dict[str, Any]:
        return {}

    def context(self, **extra: Any) -> dict[str, Any]:
        context = super().context(**extra)
        obj = extra.get("object")
        if obj is not None:
            context.update(self.detail_extra(obj))
            context.update({**self.verb_forms(obj), **getattr(self, "bound", {})})
        return context

    def requested_action(self) -> str | None:
        # A posted form that came back with errors stays open ("event_form" -> "event").
        for name in getattr(self, "bound", {}):
            return name.removesuffix("_form")
        return super().requested_action()


def render_verb_error(
    request: HttpRequest, view_class: type[VerbDetailView], resource: Any, pk: int, **bound: Any
) -> HttpResponse:
    view = view_class(resource=resource)
    view.setup(request, pk=pk)
    view.bound = bound
    response = view.get(request, pk)
    response.status_code = 400
    return response
