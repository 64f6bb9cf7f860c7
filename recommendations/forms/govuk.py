"""Form plumbing for GOV.UK Design System pages: ids for hints and errors, date inputs.

The field templates in templates/includes/fields/ read these properties, so every
form in the service shows its errors the same way and keeps what the user typed.
"""

import datetime as dt

from django import forms
from django.forms.boundfield import BoundField
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe


class GovUKBoundField(BoundField):
    @property
    def hint_id(self):
        return f"{self.auto_id}-hint"

    @property
    def error_id(self):
        return f"{self.auto_id}-error"

    @property
    def describedby(self):
        """The aria-describedby value: the hint and the error message, when present."""
        ids = []
        if self.help_text:
            ids.append(self.hint_id)
        if self.errors:
            ids.append(self.error_id)
        return " ".join(ids)

    @property
    def select(self):
        """The field's <select> and options, with the GOV.UK classes and descriptions.

        Written out here in one pass rather than through the widget's templates: the plan's
        filters list every unit, inspection and owner in the country (about a thousand
        options nationally), and the template engine took longer over them than the rest
        of the page did together.
        """
        widget = self.field.widget
        attrs = {"class": "govuk-select" + (" govuk-select--error" if self.errors else "")}
        if self.describedby:
            attrs["aria-describedby"] = self.describedby
        attrs = widget.build_attrs(widget.attrs, self.build_widget_attrs(attrs, widget))
        attrs.setdefault("id", self.auto_id)
        chosen = widget.format_value(self.value())
        return format_html(
            '<select name="{}"{}>{}\n</select>', self.html_name, flatatt(attrs), _options(widget.choices, chosen)
        )

    @property
    def error_target(self):
        """The id the error summary links to: the first box of a group, the field otherwise."""
        if isinstance(self.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            return f"{self.auto_id}_0"
        if isinstance(self.field, GovUKDateField):
            return f"{self.auto_id}_day"
        return self.auto_id


def _options(choices, chosen: list[str]) -> str:
    """The <option>s (and any <optgroup>s) of `choices`, those whose value is in `chosen` selected."""
    parts = []
    for value, label in choices:
        if isinstance(label, list | tuple):
            parts.append(f'\n  <optgroup label="{escape(value)}">{_options(label, chosen)}\n  </optgroup>')
            continue
        value = "" if value is None else str(value)
        selected = " selected" if value in chosen else ""
        parts.append(f'\n  <option value="{escape(value)}"{selected}>{conditional_escape(label)}</option>')
    return mark_safe("".join(parts))  # noqa: S308 - every value and label is escaped above


class GovUKForm(forms.Form):
    bound_field_class = GovUKBoundField


class DateInputWidget(forms.MultiWidget):
    """Three boxes, day, month and year, named <field>_day, <field>_month and <field>_year."""

    def __init__(self, attrs=None):
        super().__init__({"day": forms.TextInput, "month": forms.TextInput, "year": forms.TextInput}, attrs)

    def decompress(self, value):
        if value:
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovUKDateField(forms.Field):
    """A GOV.UK date input with the Design System's error messages.

    `error_name` is how messages refer to the date ("due date" gives "Enter the due date",
    "The due date must be a real date"). Impossible dates such as 31 February are refused,
    and so are dates before today (allow_past=False) or after it (allow_future=False).
    """

    widget = DateInputWidget

    def __init__(self, *, error_name: str, allow_past: bool = True, allow_future: bool = True, **kwargs):
        self.error_name = error_name
        self.allow_past = allow_past
        self.allow_future = allow_future
        super().__init__(**kwargs)

    def clean(self, value):
        parts = [str(part).strip() if part is not None else "" for part in (value or ["", "", ""])]
        day, month, year = parts
        the_name = f"the {self.error_name}"
        if not any(parts):
            if self.required:
                raise forms.ValidationError(f"Enter {the_name}", code="required")
            return None
        missing = [name for name, part in zip(("day", "month", "year"), parts, strict=True) if not part]
        if missing:
            raise forms.ValidationError(
                f"{the_name.capitalize()} must include a {' and '.join(missing)}", code="incomplete"
            )
        if not all(part.isdigit() for part in parts):
            raise forms.ValidationError(f"{the_name.capitalize()} must be a real date", code="invalid")
        if len(year) != 4:
            raise forms.ValidationError("Year must include 4 numbers", code="invalid_year")
        try:
            date = dt.date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(f"{the_name.capitalize()} must be a real date", code="invalid") from None
        if not self.allow_past and date < timezone.localdate():
            raise forms.ValidationError(f"{the_name.capitalize()} must be today or in the future", code="past")
        if not self.allow_future and date > timezone.localdate():
            raise forms.ValidationError(f"{the_name.capitalize()} must be today or in the past", code="future")
        self.run_validators(date)
        return date

    def get_bound_field(self, form, field_name):
        return DateBoundField(form, self, field_name)


class DateBoundField(GovUKBoundField):
    @property
    def date_parts(self):
        """What to show in the three boxes: the user's own input after an error."""
        value = self.value()
        if not isinstance(value, list | tuple):
            value = self.field.widget.decompress(value)
        return dict(zip(("day", "month", "year"), ("" if v is None else v for v in value), strict=True))


def text_field(
    *,
    label: str,
    error_name: str,
    max_length: int,
    required_message: str = "",
    required: bool = True,
    help_text: str = "",
    textarea: bool = True,
):
    """A free-text field with GOV.UK messages: "Enter …" when empty, a limit when too long."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea if textarea else forms.TextInput,
        error_messages={
            "required": required_message or f"Enter {error_name}",
            "max_length": f"{error_name[0].upper()}{error_name[1:]} must be {max_length:,} characters or fewer",
        },
    )


def add_service_errors(form, error) -> None:
    """Show a service's ValidationError on the form: against its field when the form has one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)
