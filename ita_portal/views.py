from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect


@login_required
def home(request):
    """Send each person to where their work is."""
    if request.user.is_staff:
        return redirect("admin:index")
    return redirect("admin:index")
