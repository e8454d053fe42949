"""Forms of the core app: which notification kinds also come by email, and the image upload field
that reward and toolkit admin forms share."""

from django import forms

from core.images import image_upload_clean
from core.models import NotificationKind


class NotificationSettingsForm(forms.Form):
    emailed_kinds = forms.MultipleChoiceField(
        label="Also send me an email when",
        choices=NotificationKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Every notification always appears in the portal; unticked kinds are not emailed. The weekly "
        "digest is email only: untick it to stop it.",
    )

    def muted_kinds(self) -> list[str]:
        chosen = set(self.cleaned_data["emailed_kinds"])
        return [kind for kind in NotificationKind.values if kind not in chosen]


class SafeImageField(forms.FileField):
    """A PNG, JPEG or WebP upload, decoded and re-encoded by core.images before the model sees it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "PNG, JPEG or WebP. Stored re-encoded, without its metadata.")
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", "image/png,image/jpeg,image/webp")

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        return image_upload_clean(upload).content
