from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from reminders.forms import PreferenceForm
from reminders.models import ReminderPreference
from reminders.services import set_reminders_enabled


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    """A person turns reminders by e-mail on or off for themselves (only)."""
    user = request.user
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            enabled = form.cleaned_data["enabled"]
            set_reminders_enabled(user=user, enabled=enabled)
            messages.success(
                request,
                "บันทึกแล้ว: " + ("รับอีเมลแจ้งเตือน" if enabled else "ไม่รับอีเมลแจ้งเตือน"),
            )
            return redirect("reminders:preferences")
    else:
        preference = ReminderPreference.objects.filter(user=user).first()
        form = PreferenceForm(initial={"enabled": preference is None or preference.enabled})
    return render(request, "reminders/preferences.html", {"form": form, "email": user.email})
