from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from naikkelas.core.errors import FieldErrors
from naikkelas.graduation import services
from naikkelas.graduation.forms import AssessmentForm
from naikkelas.registry.access import get_business_for


@require_POST
@login_required
def record_assessment(request: HttpRequest, business_id: int) -> HttpResponse:
    business = get_business_for(request.user, business_id)
    form = AssessmentForm(request.POST, auto_id="assessment_%s")
    if form.is_valid():
        try:
            services.record_assessment(request.user, business, form.cleaned_data)
        except FieldErrors as e:
            messages.error(request, " ".join(m for msgs in e.errors.values() for m in msgs))
        else:
            messages.success(request, _("Assessment saved; readiness recomputed."))
    else:
        messages.error(request, " ".join(str(m) for msgs in form.errors.values() for m in msgs))
    return redirect("business_detail", business.pk)
