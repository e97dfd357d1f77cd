from django import forms

from .errors import DomainError, FieldErrors


def show_error(form: forms.Form, error: DomainError) -> None:
    """Puts a service's DomainError on the form: on its field when the form has it, else on top.
    What the user typed stays in the form."""
    errors = (
        error.errors
        if isinstance(error, FieldErrors)
        else {error.field or "non_field_errors": [error.message]}
    )
    for field, messages in errors.items():
        name = field.split(".")[-1]
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, str(message))
