"""The shape every form page shares: find the object in scope (404), check the right to
change it (403, on GET as on POST), show the form, validate, call one service."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views import View

from ..forms.govuk import add_service_errors
from ..services import StaleEditError


class ServiceFormView(View):
    form_class = None
    template_name = "recommendations/form_page.html"
    heading = ""
    button_text = "Save"
    success_message = ""

    def load(self, pk):
        """Return the object the page is about, or raise Http404 when it is out of the user's scope."""
        raise NotImplementedError

    def allowed(self) -> bool:
        raise NotImplementedError

    def refusal(self) -> str:
        """Why this change is refused, for the 403 page, when there is more to say than 'no permission'."""
        return ""

    def perform(self, form):
        """Call the service; it may raise ValidationError, shown on the form."""
        raise NotImplementedError

    def success_url(self):
        raise NotImplementedError

    def form_kwargs(self):
        return {}

    def initial(self):
        return {}

    def context(self):
        return {}

    def dispatch(self, request, pk, *args, **kwargs):
        self.object = self.load(pk)
        if not self.allowed():
            raise PermissionDenied(self.refusal())
        return super().dispatch(request, pk, *args, **kwargs)

    def get(self, request, pk):
        return self.render(self.form_class(initial=self.initial(), **self.form_kwargs()))

    def post(self, request, pk):
        form = self.form_class(request.POST, request.FILES, **self.form_kwargs())
        if form.is_valid():
            try:
                self.perform(form)
            except StaleEditError as error:
                return self.render(self.stale_form(request, error), status=409)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if self.success_message:
                    messages.success(request, self.success_message)
                return redirect(self.success_url())
        return self.render(form)

    def stale_form(self, request, error):
        """The user's input again, against the latest version: someone else's change is kept."""
        self.object = self.load(self.object.pk)
        data = request.POST.copy()
        data["version"] = str(self.current_version())
        form = self.form_class(data, **self.form_kwargs())
        form.is_valid()
        add_service_errors(form, error)
        return form

    def current_version(self):
        return self.object.version

    def render(self, form, status=200):
        context = {"form": form, "object": self.object, "heading": self.heading, "button_text": self.button_text}
        context.update(self.context())
        return render(self.request, self.template_name, context, status=status)
