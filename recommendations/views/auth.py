"""The username and password sign-in page (signin.views decides when it is offered).

Sign-in throttling is django-axes's (see AXES_* settings)."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator

from ..forms.auth import SignInForm


@method_decorator(login_not_required, name="dispatch")
class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Set by SessionTimeoutMiddleware when it ends an idle or over-long session.
        context["timed_out"] = self.request.GET.get("timed_out") == "1"
        return context
